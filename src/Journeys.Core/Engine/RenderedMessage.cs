using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Journeys.Core.Engine;

/// <summary>
/// A message's fields and headers, rendered from its templates the first time either is read. Rendering is pure
/// (the model's profile and entry event are immutable), so when it happens changes nothing but its cost: a replay
/// that writes no outbox never renders at all, and a driver that delivers renders once.
/// </summary>
public sealed class RenderedMessage
{
    private readonly MessageTemplate _template;
    private readonly TemplateModel _model;
    private Rendering? _rendering;

    public RenderedMessage(MessageTemplate template, TemplateModel model)
    {
        _template = template;
        _model = model;
        Fields = new View(this, headers: false);
        Headers = new View(this, headers: true);
    }

    /// <summary>The rendered fields (subject, body, text, url, …), by name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The rendered headers (webhooks), by name, ignoring case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    // two threads may render at once (a message handed to another thread): both get the same text, one is kept
    private Rendering Result => _rendering ?? Interlocked.CompareExchange(ref _rendering, Render(), null) ?? _rendering;

    private Rendering Render()
    {
        var (fields, headers) = _template.Render(_model);
        return new Rendering(fields, headers);
    }

    private sealed record Rendering(Dictionary<string, string> Fields, Dictionary<string, string> Headers);

    private sealed class View(RenderedMessage message, bool headers) : IReadOnlyDictionary<string, string>
    {
        private Dictionary<string, string> Rendered => headers ? message.Result.Headers : message.Result.Fields;

        public string this[string key] => Rendered[key];

        public IEnumerable<string> Keys => Rendered.Keys;

        public IEnumerable<string> Values => Rendered.Values;

        public int Count => Rendered.Count;

        public bool ContainsKey(string key) => Rendered.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Rendered.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Rendered.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

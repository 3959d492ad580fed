using HandlebarsDotNet;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>
/// Handlebars templates of one message, compiled once per definition version, at its first render. Only an email body is
/// HTML and so HTML-escaped; subjects, SMS, push and webhook text render as they are.
/// </summary>
public sealed class MessageTemplate
{
    private static readonly IHandlebars Html = Handlebars.Create(new HandlebarsConfiguration());
    private static readonly IHandlebars Text = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });

    private readonly Channel _channel;
    private readonly MessageContent _content;
    private Compiled? _compiled;

    // compiled on the first render, not with the definition: the validator has parsed every template already, and a
    // replay that writes no outbox renders nothing
    public MessageTemplate(Channel channel, MessageContent content)
    {
        _channel = channel;
        _content = content;
    }

    private sealed record Compiled(
        KeyValuePair<string, HandlebarsTemplate<object, object>>[] Fields,
        KeyValuePair<string, HandlebarsTemplate<object, object>>[] Headers);

    private Compiled Templates => _compiled ?? Interlocked.CompareExchange(ref _compiled, Compile(), null) ?? _compiled;

    private Compiled Compile() => new(
        _content.Fields.Select(f => KeyValuePair.Create(f.Key, Compile(_channel == Channel.Email && f.Key == "body" ? Html : Text, f.Value))).ToArray(),
        _content.Headers.Select(h => KeyValuePair.Create(h.Key, Compile(Text, h.Value))).ToArray());

    /// <summary>Null when the template parses; else why not (the validator reports it).</summary>
    public static string? Check(string template)
    {
        try
        {
            Text.Compile(template);
            return null;
        }
        catch (Exception e) when (e is HandlebarsException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    public (Dictionary<string, string> Fields, Dictionary<string, string> Headers) Render(TemplateModel model)
    {
        var data = model.ToPlain();
        var templates = Templates;
        var fields = new Dictionary<string, string>(templates.Fields.Length, StringComparer.Ordinal);
        foreach (var (name, template) in templates.Fields)
        {
            fields[name] = template(data, null!);
        }
        var headers = new Dictionary<string, string>(templates.Headers.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in templates.Headers)
        {
            headers[name] = template(data, null!);
        }
        return (fields, headers);
    }

    private static HandlebarsTemplate<object, object> Compile(IHandlebars env, string template)
    {
        var compiled = env.Compile(template);
        return (context, data) => compiled(context, data);
    }
}

/// <summary>What templates see: <c>profile</c> (traits + userId), <c>event</c> (the entry event), <c>journey</c> (id, name).</summary>
public readonly record struct TemplateModel(Profile Profile, CustomerEvent? EntryEvent, string JourneyId, string? JourneyName)
{
    public Dictionary<string, object?> ToPlain() => new(StringComparer.Ordinal)
    {
        ["profile"] = Profile.TemplateData,
        ["event"] = EntryEvent?.TemplateData,
        ["journey"] = new Dictionary<string, object?> { ["id"] = JourneyId, ["name"] = JourneyName ?? JourneyId },
    };
}

using HandlebarsDotNet;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>
/// Handlebars templates of one message, compiled once per definition version. Only an email body is
/// HTML and so HTML-escaped; subjects, SMS, push and webhook text render as they are.
/// </summary>
public sealed class MessageTemplate
{
    private static readonly IHandlebars Html = Handlebars.Create(new HandlebarsConfiguration());
    private static readonly IHandlebars Text = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });

    private readonly KeyValuePair<string, HandlebarsTemplate<object, object>>[] _fields;
    private readonly KeyValuePair<string, HandlebarsTemplate<object, object>>[] _headers;

    public MessageTemplate(Channel channel, MessageContent content)
    {
        _fields = content.Fields
            .Select(f => KeyValuePair.Create(f.Key, Compile(channel == Channel.Email && f.Key == "body" ? Html : Text, f.Value)))
            .ToArray();
        _headers = content.Headers.Select(h => KeyValuePair.Create(h.Key, Compile(Text, h.Value))).ToArray();
    }

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
        var fields = new Dictionary<string, string>(_fields.Length, StringComparer.Ordinal);
        foreach (var (name, template) in _fields)
        {
            fields[name] = template(data, null!);
        }
        var headers = new Dictionary<string, string>(_headers.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in _headers)
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

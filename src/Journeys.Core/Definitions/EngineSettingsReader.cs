using System.Globalization;
using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Definitions;

/// <summary>
/// Reads the runtime's send policies from JSON (a settings file, or an appsettings section):
/// <c>{"quietHours": {"start": "21:00", "end": "08:00", "channels": ["sms", "push"]},
///    "frequencyCap": {"count": 3, "within": "P1D"}, "globalControl": {"percent": 5},
///    "rateLimits": {"email": {"perMinute": 600}}}</c> (schemas/settings.schema.json). All optional; absent means off.
/// </summary>
public static class EngineSettingsReader
{
    public static (EngineOptions Options, IReadOnlyList<DefinitionProblem> Problems) Read(string file, string json)
    {
        var ctx = new ReadContext(file);
        var options = new EngineOptions();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            ctx.Problem(JsonPath.Root, $"invalid JSON: {EventParser.Describe(e)}");
            return (options, ctx.Problems);
        }
        using (document)
        {
            var root = document.RootElement;
            if (!ctx.ExpectObject(root, JsonPath.Root, "settings"))
            {
                return (options, ctx.Problems);
            }
            ctx.RejectUnknownFields(root, JsonPath.Root, "quietHours", "frequencyCap", "globalControl", "rateLimits");
            if (root.TryGetProperty("quietHours", out var quiet) && ctx.ExpectObject(quiet, "$.quietHours", "'quietHours'"))
            {
                ctx.RejectUnknownFields(quiet, "$.quietHours", "start", "end", "channels");
                var start = Time(ctx, quiet, "start");
                var end = Time(ctx, quiet, "end");
                var channels = new HashSet<Channel>();
                var names = ReadContext.Has(quiet, "channels") ? ctx.StringList(quiet, "$.quietHours", "channels") : ["email", "sms", "push"];
                foreach (var name in names)
                {
                    if (SendPlanner.Parse(name) is { } channel) channels.Add(channel);
                    else ctx.Problem("$.quietHours.channels", $"'{name}' is not a channel quiet hours can hold (email, sms, push)");
                }
                if (start is not null && end is not null)
                {
                    options = options with { QuietHours = new QuietHours(start.Value, end.Value, channels) };
                }
            }
            if (root.TryGetProperty("frequencyCap", out var cap) && ctx.ExpectObject(cap, "$.frequencyCap", "'frequencyCap'"))
            {
                ctx.RejectUnknownFields(cap, "$.frequencyCap", "count", "within");
                var count = ctx.Integer(cap, "$.frequencyCap", "count", min: 1, required: true);
                var within = ctx.Duration(cap, "$.frequencyCap", "within", required: true);
                if (count is not null && within is not null)
                {
                    options = options with { FrequencyCap = new FrequencyCap(count.Value, within.Value) };
                }
            }
            if (root.TryGetProperty("globalControl", out var control) && ctx.ExpectObject(control, "$.globalControl", "'globalControl'"))
            {
                ctx.RejectUnknownFields(control, "$.globalControl", "percent");
                if (!control.TryGetProperty("percent", out var p) || p.ValueKind != JsonValueKind.Number || p.GetDouble() is <= 0 or >= 100)
                {
                    ctx.Problem("$.globalControl.percent", "'percent' must be a number above 0 and below 100");
                }
                else
                {
                    options = options with { GlobalControl = new GlobalControl(p.GetDouble()) };
                }
            }
            if (root.TryGetProperty("rateLimits", out var rates) && ctx.ExpectObject(rates, "$.rateLimits", "'rateLimits'"))
            {
                var limits = new Dictionary<Channel, int>();
                foreach (var rate in rates.EnumerateObject())
                {
                    var at = JsonPath.Field("$.rateLimits", rate.Name);
                    Channel? channel = rate.Name == "webhook" ? Channel.Webhook : SendPlanner.Parse(rate.Name);
                    if (channel is null)
                    {
                        ctx.Problem(at, $"'{rate.Name}' is not a channel (email, sms, push, webhook)");
                        continue;
                    }
                    if (!ctx.ExpectObject(rate.Value, at, $"'{rate.Name}'"))
                    {
                        continue;
                    }
                    ctx.RejectUnknownFields(rate.Value, at, "perMinute");
                    if (ctx.Integer(rate.Value, at, "perMinute", min: 1, required: true) is { } perMinute)
                    {
                        limits[channel.Value] = perMinute;
                    }
                }
                options = options with { RateLimits = limits };
            }
        }
        return (options, ctx.Problems);
    }

    private static TimeOnly? Time(ReadContext ctx, JsonElement obj, string name)
    {
        var text = ctx.String(obj, "$.quietHours", name, required: true);
        if (text is null) return null;
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return time;
        ctx.Problem($"$.quietHours.{name}", $"'{text}' is not a time of day \"HH:mm\"");
        return null;
    }
}

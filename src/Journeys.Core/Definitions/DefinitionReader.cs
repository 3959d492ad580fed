using System.Globalization;
using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Engine;

namespace Journeys.Core.Definitions;

/// <summary>The result of reading one file: the definition (when its shape allowed one) and every problem found.</summary>
public sealed record ReadResult<T>(T? Definition, IReadOnlyList<DefinitionProblem> Problems, IReadOnlyList<(string Segment, string Path)> SegmentReferences)
    where T : class;

/// <summary>
/// Reads journey and segment JSON (DESIGN §4) into the model. Checks everything one file can tell
/// (shapes, durations, operators, step references, content, percents); cross-file and graph rules
/// are <see cref="DefinitionValidator"/>'s.
/// </summary>
public static class DefinitionReader
{
    /// <summary>Far beyond any real journey; bounds the graph checks on hostile input.</summary>
    public const int MaxSteps = 1_000;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    private static readonly Dictionary<string, Channel> Channels = new(StringComparer.Ordinal)
    {
        ["email"] = Channel.Email, ["sms"] = Channel.Sms, ["push"] = Channel.Push,
        ["webhook"] = Channel.Webhook, ["preferred"] = Channel.Preferred,
    };

    public static ReadResult<JourneyDefinition> ReadJourney(string file, string json)
    {
        var ctx = new ReadContext(file);
        JourneyDefinition? journey = null;
        if (Parse(ctx, json) is { } document)
        {
            using (document)
            {
                journey = Journey(ctx, document.RootElement);
            }
        }
        return new ReadResult<JourneyDefinition>(journey, ctx.Problems, ctx.SegmentReferences);
    }

    public static ReadResult<SegmentDefinition> ReadSegment(string file, string json)
    {
        var ctx = new ReadContext(file);
        SegmentDefinition? segment = null;
        if (Parse(ctx, json) is { } document)
        {
            using (document)
            {
                var root = document.RootElement;
                if (ctx.ExpectObject(root, JsonPath.Root, "a segment"))
                {
                    ctx.RejectUnknownFields(root, JsonPath.Root, "id", "name", "when");
                    var id = Id(ctx, root);
                    var name = ctx.String(root, JsonPath.Root, "name", required: false);
                    var when = ConditionReader.Required(ctx, root, JsonPath.Root, "when");
                    segment = id is null ? null : new SegmentDefinition(id, name, when);
                }
            }
        }
        return new ReadResult<SegmentDefinition>(segment, ctx.Problems, ctx.SegmentReferences);
    }

    private static JsonDocument? Parse(ReadContext ctx, string json)
    {
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            ctx.Problem(JsonPath.Root, $"invalid JSON{where}: {EventParser.Describe(e)}");
            return null;
        }
    }

    private static string? Id(ReadContext ctx, JsonElement root)
    {
        var id = ctx.String(root, JsonPath.Root, "id", required: true);
        if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            ctx.Problem(JsonPath.Field(JsonPath.Root, "id"), $"'{id}' may use only letters, digits, '-', '_' and '.'");
        }
        return id;
    }

    private static JourneyDefinition? Journey(ReadContext ctx, JsonElement root)
    {
        const string at = JsonPath.Root;
        if (!ctx.ExpectObject(root, at, "a journey"))
        {
            return null;
        }
        ctx.RejectUnknownFields(root, at, "id", "name", "entry", "audience", "window", "reentry", "goal", "exit", "limits", "start", "steps");
        var id = Id(ctx, root);
        var name = ctx.String(root, at, "name", required: false);
        var entry = Entry(ctx, root);
        var audience = Audience(ctx, root);
        var window = Window(ctx, root);
        var reentry = Reentry(ctx, root);
        var goal = Goal(ctx, root);
        var exit = Exit(ctx, root);
        var limits = Limits(ctx, root);
        var start = ctx.String(root, at, "start", required: true);
        var steps = Steps(ctx, root);
        if (start is not null && steps is not null && !steps.ContainsKey(start))
        {
            ctx.Problem(JsonPath.Field(at, "start"), $"unknown step '{start}'");
        }
        if (id is null || entry is null || start is null || steps is null)
        {
            return null;
        }
        return new JourneyDefinition(id, name, entry, audience, window, reentry, goal, exit, start, steps) { Limits = limits };
    }

    private static JourneyLimits? Limits(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "limits");
        if (!root.TryGetProperty("limits", out var limits) || !ctx.ExpectObject(limits, at, "'limits'"))
        {
            return null;
        }
        ctx.RejectUnknownFields(limits, at, "entriesPerDay", "entriesTotal");
        var perDay = ctx.Integer(limits, at, "entriesPerDay", min: 1, required: false);
        var total = ctx.Integer(limits, at, "entriesTotal", min: 1, required: false);
        if (!ReadContext.Has(limits, "entriesPerDay") && !ReadContext.Has(limits, "entriesTotal"))
        {
            ctx.Problem(at, "'limits' needs 'entriesPerDay', 'entriesTotal' or both");
        }
        return perDay is null && total is null ? null : new JourneyLimits(perDay, total);
    }

    private static Entry? Entry(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "entry");
        if (!root.TryGetProperty("entry", out var entry))
        {
            ctx.Problem(at, "'entry' is required");
            return null;
        }
        if (!ctx.ExpectObject(entry, at, "'entry'"))
        {
            return null;
        }
        var hasEvent = ReadContext.Has(entry, "event");
        var hasSchedule = ReadContext.Has(entry, "schedule");
        var hasSegment = ReadContext.Has(entry, "segment");
        if (hasEvent)
        {
            ctx.RejectUnknownFields(entry, at, "event", "where", "key");
            if (hasSegment || hasSchedule)
            {
                ctx.Problem(at, "'entry' has exactly one form: {event}, {segment} or {schedule}");
            }
            var name = ctx.String(entry, at, "event", required: true);
            var where = ConditionReader.Optional(ctx, entry, at, "where");
            var key = ctx.String(entry, at, "key", required: false);
            if (key is not null && (key.Length == 0 || key.Split('.').Any(string.IsNullOrEmpty)))
            {
                ctx.Problem(JsonPath.Field(at, "key"), $"'key' must be a property path of the entry event (e.g. cartId, cart.id), not '{key}'");
                key = null;
            }
            return name is null ? null : new EventEntry(name, where, key);
        }
        if (ReadContext.Has(entry, "key"))
        {
            ctx.Problem(JsonPath.Field(at, "key"), "'key' applies only to an event entry (the key is a property of the entry event)");
        }
        if (hasSchedule)
        {
            ctx.RejectUnknownFields(entry, at, "schedule", "segment", "key");
            var segment = ctx.SegmentReference(entry, at, "segment", required: false);
            var scheduleAt = JsonPath.Field(at, "schedule");
            var schedule = entry.GetProperty("schedule");
            if (!ctx.ExpectObject(schedule, scheduleAt, "'schedule'"))
            {
                return null;
            }
            ctx.RejectUnknownFields(schedule, scheduleAt, "at", "every");
            var first = ctx.Instant(schedule, scheduleAt, "at", required: true);
            var every = ctx.Duration(schedule, scheduleAt, "every", required: false);
            return first is null ? null : new ScheduleEntry(first.Value, every, segment);
        }
        if (hasSegment)
        {
            ctx.RejectUnknownFields(entry, at, "segment", "key");
            var segment = ctx.SegmentReference(entry, at, "segment", required: true);
            return segment is null ? null : new SegmentEntry(segment);
        }
        ctx.Problem(at, "'entry' needs one of: event, segment, schedule");
        return null;
    }

    private static AudienceRule? Audience(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "audience");
        if (!root.TryGetProperty("audience", out var audience) || !ctx.ExpectObject(audience, at, "'audience'"))
        {
            return null;
        }
        ctx.RejectUnknownFields(audience, at, "include", "exclude");
        var include = ctx.StringList(audience, at, "include");
        var exclude = ctx.StringList(audience, at, "exclude");
        for (var i = 0; i < include.Count; i++) ctx.SegmentReferences.Add((include[i], JsonPath.Index(JsonPath.Field(at, "include"), i)));
        for (var i = 0; i < exclude.Count; i++) ctx.SegmentReferences.Add((exclude[i], JsonPath.Index(JsonPath.Field(at, "exclude"), i)));
        return new AudienceRule(include, exclude);
    }

    private static EntryWindow? Window(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "window");
        if (!root.TryGetProperty("window", out var window) || !ctx.ExpectObject(window, at, "'window'"))
        {
            return null;
        }
        ctx.RejectUnknownFields(window, at, "from", "until");
        var from = ctx.Instant(window, at, "from", required: false);
        var until = ctx.Instant(window, at, "until", required: false);
        if (from is not null && until is not null && until < from)
        {
            ctx.Problem(JsonPath.Field(at, "until"), "'until' is before 'from'");
        }
        return new EntryWindow(from, until);
    }

    private static ReentryRule Reentry(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "reentry");
        if (!root.TryGetProperty("reentry", out var reentry) || !ctx.ExpectObject(reentry, at, "'reentry'"))
        {
            return ReentryRule.Once;
        }
        ctx.RejectUnknownFields(reentry, at, "mode", "lock", "cap");
        var mode = ctx.String(reentry, at, "mode", required: true);
        var lockFor = ctx.Duration(reentry, at, "lock", required: false);
        EntryCap? cap = null;
        if (reentry.TryGetProperty("cap", out var capElement) && ctx.ExpectObject(capElement, JsonPath.Field(at, "cap"), "'cap'"))
        {
            var capAt = JsonPath.Field(at, "cap");
            ctx.RejectUnknownFields(capElement, capAt, "count", "within");
            var count = ctx.Integer(capElement, capAt, "count", min: 1, required: true);
            var within = ctx.Duration(capElement, capAt, "within", required: true);
            cap = count is null || within is null ? null : new EntryCap(count.Value, within.Value);
        }
        switch (mode)
        {
            case "multiple":
                return new ReentryRule(ReentryMode.Multiple, lockFor, cap);
            case "once":
                foreach (var field in new[] { "lock", "cap" }.Where(f => ReadContext.Has(reentry, f)))
                {
                    ctx.Problem(JsonPath.Field(at, field), $"'{field}' applies only to mode \"multiple\"");
                }
                return ReentryRule.Once;
            case null:
                return ReentryRule.Once;
            default:
                ctx.Problem(JsonPath.Field(at, "mode"), $"'mode' must be \"once\" or \"multiple\", not \"{mode}\"");
                return ReentryRule.Once;
        }
    }

    private static GoalRule? Goal(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "goal");
        if (!root.TryGetProperty("goal", out var goal) || !ctx.ExpectObject(goal, at, "'goal'"))
        {
            return null;
        }
        ctx.RejectUnknownFields(goal, at, "event", "where", "exit");
        var name = ctx.String(goal, at, "event", required: true);
        var where = ConditionReader.Optional(ctx, goal, at, "where");
        var exit = ctx.Bool(goal, at, "exit") ?? true;
        return name is null ? null : new GoalRule(name, where, exit);
    }

    private static ExitRule? Exit(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "exit");
        if (!root.TryGetProperty("exit", out var exit) || !ctx.ExpectObject(exit, at, "'exit'"))
        {
            return null;
        }
        ctx.RejectUnknownFields(exit, at, "events", "maxDuration", "segments");
        var segments = ctx.StringList(exit, at, "segments");
        for (var i = 0; i < segments.Count; i++) ctx.SegmentReferences.Add((segments[i], JsonPath.Index(JsonPath.Field(at, "segments"), i)));
        var events = new List<ExitEvent>();
        if (exit.TryGetProperty("events", out var list))
        {
            var listAt = JsonPath.Field(at, "events");
            if (list.ValueKind != JsonValueKind.Array)
            {
                ctx.Problem(listAt, "'events' must be an array of {event, where?}");
            }
            else
            {
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var itemAt = JsonPath.Index(listAt, i++);
                    if (!ctx.ExpectObject(item, itemAt, "an exit event"))
                    {
                        continue;
                    }
                    ctx.RejectUnknownFields(item, itemAt, "event", "where");
                    var name = ctx.String(item, itemAt, "event", required: true);
                    var where = ConditionReader.Optional(ctx, item, itemAt, "where");
                    if (name is not null)
                    {
                        events.Add(new ExitEvent(name, where));
                    }
                }
            }
        }
        return new ExitRule(events, ctx.Duration(exit, at, "maxDuration", required: false)) { Segments = segments };
    }

    private static Dictionary<string, Step>? Steps(ReadContext ctx, JsonElement root)
    {
        var at = JsonPath.Field(JsonPath.Root, "steps");
        if (!root.TryGetProperty("steps", out var steps))
        {
            ctx.Problem(at, "'steps' is required");
            return null;
        }
        if (!ctx.ExpectObject(steps, at, "'steps'"))
        {
            return null;
        }
        var ids = steps.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            ctx.Problem(at, "a journey needs at least one step");
        }
        if (ids.Count > MaxSteps)
        {
            ctx.Problem(at, $"a journey has at most {MaxSteps} steps, not {ids.Count}");
            return null;
        }
        var result = new Dictionary<string, Step>(StringComparer.Ordinal);
        foreach (var property in steps.EnumerateObject())
        {
            var stepAt = JsonPath.Field(at, property.Name);
            if (ctx.ExpectObject(property.Value, stepAt, "a step"))
            {
                result[property.Name] = new StepReader(ctx, property.Name, property.Value, stepAt, ids).Read();
            }
        }
        return result;
    }

    /// <summary>Reads one step; a step reference is checked against the journey's step ids as it is read.</summary>
    private sealed class StepReader(ReadContext ctx, string id, JsonElement step, string at, HashSet<string> ids)
    {
        public Step Read()
        {
            var type = ctx.String(step, at, "type", required: true);
            switch (type)
            {
                case "send": return Send();
                case "delay": return Delay();
                case "waitFor": return WaitFor();
                case "branch": return Branch();
                case "split": return Split();
                case "update": return Update();
                case "jump": return Jump();
                case "exit":
                    ctx.RejectUnknownFields(step, at, "type");
                    return new ExitStep { Id = id };
                case null:
                    return new ExitStep { Id = id };
                default:
                    ctx.Problem(JsonPath.Field(at, "type"), $"unknown step type '{type}' (expected send, delay, waitFor, branch, split, update, jump or exit)");
                    return new ExitStep { Id = id };
            }
        }

        private string? Reference(JsonElement obj, string path, string name)
        {
            var target = ctx.String(obj, path, name, required: false);
            if (target is not null && !ids.Contains(target))
            {
                ctx.Problem(JsonPath.Field(path, name), $"unknown step '{target}'");
                return null;
            }
            return target;
        }

        private Step Send()
        {
            ctx.RejectUnknownFields(step, at, "type", "channel", "content", "sendTime", "window", "track", "next");
            var channelName = ctx.String(step, at, "channel", required: true);
            var channel = Channel.Email;
            var known = channelName is not null && Channels.TryGetValue(channelName, out channel);
            if (channelName is not null && !known)
            {
                ctx.Problem(JsonPath.Field(at, "channel"), $"unknown channel '{channelName}' (expected email, sms, push, webhook or preferred)");
            }
            var sendTime = ctx.String(step, at, "sendTime", required: false);
            if (sendTime is not null && sendTime != "optimal")
            {
                ctx.Problem(JsonPath.Field(at, "sendTime"), $"'sendTime' can only be \"optimal\", not \"{sendTime}\"");
            }
            var content = new Dictionary<Channel, MessageContent>();
            var contentAt = JsonPath.Field(at, "content");
            if (!step.TryGetProperty("content", out var contentElement) || contentElement.ValueKind == JsonValueKind.Null)
            {
                if (known)
                {
                    ctx.Problem(contentAt, $"a {channelName} send needs 'content'");
                }
            }
            else if (known && ctx.ExpectObject(contentElement, contentAt, "'content'"))
            {
                if (channel == Channel.Preferred)
                {
                    ctx.RejectUnknownFields(contentElement, contentAt, "email", "sms", "push");
                    foreach (var (name, c) in new[] { ("email", Channel.Email), ("sms", Channel.Sms), ("push", Channel.Push) })
                    {
                        if (contentElement.TryGetProperty(name, out var part) && ctx.ExpectObject(part, JsonPath.Field(contentAt, name), $"'{name}' content"))
                        {
                            content[c] = Content(c, part, JsonPath.Field(contentAt, name));
                        }
                    }
                    if (content.Count == 0)
                    {
                        ctx.Problem(contentAt, "a preferred-channel send needs content for at least one of email, sms, push");
                    }
                }
                else
                {
                    content[channel] = Content(channel, contentElement, contentAt);
                }
            }
            return new SendStep(channel, content, sendTime == "optimal", Reference(step, at, "next")) { Id = id, Window = Window(), Track = Track(channel, known) };
        }

        /// <summary><c>track</c>: a boolean, on a send that can be an e-mail (tracking rewrites e-mail bodies only).</summary>
        private bool Track(Channel channel, bool known)
        {
            if (!step.TryGetProperty("track", out var track) || track.ValueKind == JsonValueKind.Null)
            {
                return false;
            }
            var trackAt = JsonPath.Field(at, "track");
            if (track.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                ctx.Problem(trackAt, "'track' must be true or false");
                return false;
            }
            if (track.ValueKind == JsonValueKind.True && known && channel is not (Channel.Email or Channel.Preferred))
            {
                ctx.Problem(trackAt, "'track' rewrites e-mail links and adds an open pixel: only an email or preferred send can be tracked");
                return false;
            }
            return track.ValueKind == JsonValueKind.True;
        }

        private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.Ordinal)
        {
            ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
            ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
        };

        private SendWindow? Window()
        {
            var windowAt = JsonPath.Field(at, "window");
            if (!step.TryGetProperty("window", out var window) || window.ValueKind == JsonValueKind.Null || !ctx.ExpectObject(window, windowAt, "'window'"))
            {
                return null;
            }
            ctx.RejectUnknownFields(window, windowAt, "days", "from", "until");
            var days = new HashSet<DayOfWeek>();
            var daysAt = JsonPath.Field(windowAt, "days");
            if (!window.TryGetProperty("days", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                ctx.Problem(daysAt, "a window needs 'days': a non-empty array of mon, tue, wed, thu, fri, sat, sun");
            }
            else
            {
                var i = 0;
                foreach (var day in list.EnumerateArray())
                {
                    var dayAt = JsonPath.Index(daysAt, i++);
                    if (day.ValueKind != JsonValueKind.String || !DayNames.TryGetValue(day.GetString()!, out var d))
                    {
                        ctx.Problem(dayAt, $"'{(day.ValueKind == JsonValueKind.String ? day.GetString() : day.GetRawText())}' is not a day (mon, tue, wed, thu, fri, sat, sun)");
                    }
                    else if (!days.Add(d))
                    {
                        ctx.Problem(dayAt, $"day '{day.GetString()}' is listed twice");
                    }
                }
            }
            var from = TimeOfDay(window, windowAt, "from") ?? TimeOnly.MinValue;
            var until = TimeOfDay(window, windowAt, "until") ?? TimeOnly.MinValue;
            if (from == until && (ReadContext.Has(window, "from") || ReadContext.Has(window, "until")) && from != TimeOnly.MinValue)
            {
                ctx.Problem(JsonPath.Field(windowAt, "until"), "'until' equals 'from': the window would never open (omit both for whole days)");
            }
            return new SendWindow(days, from, until);
        }

        private TimeOnly? TimeOfDay(JsonElement obj, string path, string name)
        {
            if (ctx.String(obj, path, name, required: false) is not { } text)
            {
                return null;
            }
            if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                return t;
            }
            ctx.Problem(JsonPath.Field(path, name), $"'{text}' is not a time of day \"HH:mm\" (24-hour)");
            return null;
        }

        private MessageContent Content(Channel channel, JsonElement element, string path)
        {
            (string[] required, string[] optional) = channel switch
            {
                Channel.Email => (new[] { "subject", "body" }, Array.Empty<string>()),
                Channel.Sms => (["text"], []),
                Channel.Push => (["body"], ["title"]),
                _ => (["url"], ["method", "body"]),
            };
            var allowed = channel == Channel.Webhook ? [.. required, .. optional, "headers"] : required.Concat(optional).ToArray();
            ctx.RejectUnknownFields(element, path, allowed);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in required)
            {
                if (ctx.String(element, path, name, required: true) is { } text) fields[name] = text;
            }
            foreach (var name in optional)
            {
                // a webhook body may be written as JSON itself: its text is the template
                if (channel == Channel.Webhook && name == "body" && element.TryGetProperty("body", out var body)
                    && body.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    fields[name] = body.GetRawText();
                }
                else if (ctx.String(element, path, name, required: false) is { } text)
                {
                    fields[name] = text;
                }
            }
            foreach (var (name, template) in fields)
            {
                if (MessageTemplate.Check(template) is { } error)
                {
                    ctx.Problem(JsonPath.Field(path, name), $"template does not parse: {error}");
                }
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (channel == Channel.Webhook && element.TryGetProperty("headers", out var h) && ctx.ExpectObject(h, JsonPath.Field(path, "headers"), "'headers'"))
            {
                foreach (var header in h.EnumerateObject())
                {
                    if (header.Value.ValueKind == JsonValueKind.String && MessageTemplate.Check(header.Value.GetString()!) is { } error)
                        ctx.Problem(JsonPath.Field(JsonPath.Field(path, "headers"), header.Name), $"template does not parse: {error}");
                    else if (header.Value.ValueKind == JsonValueKind.String) headers[header.Name] = header.Value.GetString()!;
                    else ctx.Problem(JsonPath.Field(JsonPath.Field(path, "headers"), header.Name), "a header value must be a string");
                }
            }
            if (fields.TryGetValue("method", out var method) && method.ToUpperInvariant() is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
            {
                ctx.Problem(JsonPath.Field(path, "method"), $"'{method}' is not an HTTP method (GET, POST, PUT, PATCH, DELETE)");
            }
            return new MessageContent(fields, headers);
        }

        private Step Delay()
        {
            ctx.RejectUnknownFields(step, at, "type", "for", "until", "days", "untilDate", "untilTrait", "untilProperty", "offset", "next");
            var forms = new[] { "for", "until", "untilDate", "untilTrait", "untilProperty" }.Where(f => ReadContext.Has(step, f)).ToList();
            if (forms.Count != 1)
            {
                ctx.Problem(at, forms.Count == 0 ? "a delay needs one of: for, until, untilDate, untilTrait, untilProperty" : $"a delay has one form, not {string.Join(" and ", forms)}");
            }
            var untilTrait = PropertyPath(step, "untilTrait");
            var untilProperty = PropertyPath(step, "untilProperty");
            var offset = default(SignedDuration);
            if (ctx.String(step, at, "offset", required: false) is { } offsetText)
            {
                if (!SignedDuration.TryParse(offsetText, out offset))
                {
                    ctx.Problem(JsonPath.Field(at, "offset"), $"'{offsetText}' is not a signed ISO 8601 duration (e.g. -P3D, PT2H)");
                }
                if (untilTrait is null && untilProperty is null)
                {
                    ctx.Problem(JsonPath.Field(at, "offset"), "'offset' goes with 'untilTrait' or 'untilProperty'");
                }
            }
            var duration = ctx.Duration(step, at, "for", required: false);
            TimeOnly? until = null;
            if (ctx.String(step, at, "until", required: false) is { } text)
            {
                if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) until = t;
                else ctx.Problem(JsonPath.Field(at, "until"), $"'{text}' is not a time of day \"HH:mm\" (24-hour)");
            }
            var days = ctx.Integer(step, at, "days", min: 0, required: false) ?? 0;
            if (ReadContext.Has(step, "days") && !ReadContext.Has(step, "until"))
            {
                ctx.Problem(JsonPath.Field(at, "days"), "'days' goes with 'until'");
            }
            var date = ctx.Instant(step, at, "untilDate", required: false);
            if (duration is null && until is null && date is null && untilTrait is null && untilProperty is null)
            {
                duration = new IsoDuration(0, 0, TimeSpan.FromHours(1)); // placeholder so later checks still run
            }
            return new DelayStep(duration, until, days, date, Reference(step, at, "next"))
            {
                Id = id, UntilTrait = untilTrait, UntilProperty = untilProperty, Offset = offset,
            };
        }

        private string? PropertyPath(JsonElement obj, string name)
        {
            var path = ctx.String(obj, at, name, required: false);
            if (path is not null && (path.Length == 0 || path.Split('.').Any(string.IsNullOrEmpty)))
            {
                ctx.Problem(JsonPath.Field(at, name), $"'{path}' is not a property path (e.g. renewsAt, plan.renewsAt)");
                return null;
            }
            return path;
        }

        private Step Jump()
        {
            ctx.RejectUnknownFields(step, at, "type", "journey");
            var journey = ctx.String(step, at, "journey", required: true) ?? "";
            return new JumpStep(journey) { Id = id };
        }

        private Step WaitFor()
        {
            ctx.RejectUnknownFields(step, at, "type", "event", "events", "where", "timeout", "onEvent", "onTimeout");
            var timeout = ctx.Duration(step, at, "timeout", required: true) ?? new IsoDuration(0, 1, TimeSpan.Zero);
            var hasEvent = ReadContext.Has(step, "event");
            if (ReadContext.Has(step, "events"))
            {
                if (hasEvent)
                {
                    ctx.Problem(at, "a waitFor has 'event' or 'events', not both");
                }
                foreach (var field in new[] { "where", "onEvent" }.Where(f => ReadContext.Has(step, f)))
                {
                    ctx.Problem(JsonPath.Field(at, field), $"'{field}' goes with 'event'; each of 'events' has its own where and next");
                }
                return new WaitForStep("", null, timeout, null, Reference(step, at, "onTimeout")) { Id = id, Events = Events() };
            }
            if (!hasEvent)
            {
                ctx.Problem(at, "a waitFor needs 'event' or 'events'");
            }
            var name = ctx.String(step, at, "event", required: false) ?? "";
            var where = ConditionReader.Optional(ctx, step, at, "where");
            return new WaitForStep(name, where, timeout, Reference(step, at, "onEvent"), Reference(step, at, "onTimeout")) { Id = id };
        }

        private List<WaitForEvent> Events()
        {
            var result = new List<WaitForEvent>();
            var listAt = JsonPath.Field(at, "events");
            var list = step.GetProperty("events");
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                ctx.Problem(listAt, "'events' must be a non-empty array of {name?, event, where?, next}");
                return result;
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemAt = JsonPath.Index(listAt, i++);
                if (!ctx.ExpectObject(item, itemAt, "an awaited event"))
                {
                    continue;
                }
                ctx.RejectUnknownFields(item, itemAt, "name", "event", "where", "next");
                var name = ctx.String(item, itemAt, "event", required: true);
                var pathName = ctx.String(item, itemAt, "name", required: false) ?? name;
                var where = ConditionReader.Optional(ctx, item, itemAt, "where");
                var next = Reference(item, itemAt, "next");
                if (pathName is not null && !names.Add(pathName))
                {
                    ctx.Problem(JsonPath.Field(itemAt, ReadContext.Has(item, "name") ? "name" : "event"),
                        $"duplicate path name '{pathName}' (give each awaited event its own 'name')");
                }
                if (pathName == "timeout")
                {
                    ctx.Problem(JsonPath.Field(itemAt, "name"), "'timeout' is reserved for the wait's timeout path");
                }
                if (name is not null)
                {
                    result.Add(new WaitForEvent(pathName ?? name, name, where, next));
                }
            }
            return result;
        }

        private Step Branch()
        {
            ctx.RejectUnknownFields(step, at, "type", "paths", "otherwise");
            var paths = new List<BranchPath>();
            foreach (var (path, pathAt, name) in Paths("branch"))
            {
                ctx.RejectUnknownFields(path, pathAt, "name", "when", "next");
                var when = ConditionReader.Required(ctx, path, pathAt, "when");
                paths.Add(new BranchPath(name, when, Reference(path, pathAt, "next")));
            }
            return new BranchStep(paths, Reference(step, at, "otherwise")) { Id = id };
        }

        private Step Split()
        {
            ctx.RejectUnknownFields(step, at, "type", "paths", "experiment");
            var experiment = Experiment();
            var paths = new List<SplitPath>();
            foreach (var (path, pathAt, name) in Paths("split"))
            {
                ctx.RejectUnknownFields(path, pathAt, "name", "percent", "next", "control");
                double percent = 0;
                if (!path.TryGetProperty("percent", out var p) || p.ValueKind != JsonValueKind.Number || (percent = p.GetDouble()) <= 0 || percent > 100)
                {
                    ctx.Problem(JsonPath.Field(pathAt, "percent"), "'percent' must be a number above 0 and at most 100");
                }
                var control = ctx.Bool(path, pathAt, "control") ?? false;
                if (control && !ReadContext.Has(step, "experiment"))
                {
                    ctx.Problem(JsonPath.Field(pathAt, "control"), "'control' applies only to a split with an 'experiment'");
                }
                paths.Add(new SplitPath(name, percent, Reference(path, pathAt, "next")) { Control = control });
            }
            if (paths.Count < 2)
            {
                ctx.Problem(JsonPath.Field(at, "paths"), "a split needs at least two paths");
            }
            var total = paths.Sum(p => p.Percent);
            if (paths.All(p => p.Percent > 0) && Math.Abs(total - 100) > 1e-9)
            {
                ctx.Problem(JsonPath.Field(at, "paths"), $"percents add up to {ReadContext.Format(total)}, not 100");
            }
            var controls = paths.Count(p => p.Control);
            if (ReadContext.Has(step, "experiment") && controls != 1)
            {
                ctx.Problem(JsonPath.Field(at, "paths"),
                    $"an experiment needs exactly one path with \"control\": true (the others are measured against it), not {controls}");
            }
            return new SplitStep(paths) { Id = id, Experiment = experiment };
        }

        private ExperimentRule? Experiment()
        {
            var experimentAt = JsonPath.Field(at, "experiment");
            if (!step.TryGetProperty("experiment", out var experiment) || !ctx.ExpectObject(experiment, experimentAt, "'experiment'"))
            {
                return null;
            }
            ctx.RejectUnknownFields(experiment, experimentAt, "metric", "window", "winner");
            var metric = ctx.String(experiment, experimentAt, "metric", required: false) ?? ExperimentRule.GoalMetric;
            if (metric.Length == 0)
            {
                ctx.Problem(JsonPath.Field(experimentAt, "metric"), "'metric' must be \"goal\" or an event name");
            }
            var window = ctx.Duration(experiment, experimentAt, "window", required: true);
            WinnerRule? winner = null;
            var winnerAt = JsonPath.Field(experimentAt, "winner");
            if (experiment.TryGetProperty("winner", out var w) && ctx.ExpectObject(w, winnerAt, "'winner'"))
            {
                ctx.RejectUnknownFields(w, winnerAt, "after", "minPerPath");
                var after = ctx.Duration(w, winnerAt, "after", required: true);
                var minPerPath = ctx.Integer(w, winnerAt, "minPerPath", min: 1, required: true);
                winner = after is null || minPerPath is null ? null : new WinnerRule(after.Value, minPerPath.Value);
            }
            return window is null ? null : new ExperimentRule(metric, window.Value, winner);
        }

        private IEnumerable<(JsonElement Path, string At, string Name)> Paths(string kind)
        {
            var pathsAt = JsonPath.Field(at, "paths");
            if (!step.TryGetProperty("paths", out var paths) || paths.ValueKind != JsonValueKind.Array || paths.GetArrayLength() == 0)
            {
                ctx.Problem(pathsAt, $"a {kind} needs 'paths': a non-empty array");
                yield break;
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var path in paths.EnumerateArray())
            {
                var pathAt = JsonPath.Index(pathsAt, i++);
                if (!ctx.ExpectObject(path, pathAt, "a path"))
                {
                    continue;
                }
                var name = ctx.String(path, pathAt, "name", required: true) ?? $"path{i}";
                if (!names.Add(name))
                {
                    ctx.Problem(JsonPath.Field(pathAt, "name"), $"duplicate path name '{name}'");
                }
                if (name == "otherwise" && kind == "branch")
                {
                    ctx.Problem(JsonPath.Field(pathAt, "name"), "'otherwise' is reserved for the branch's fallback");
                }
                yield return (path, pathAt, name);
            }
        }

        private Step Update()
        {
            ctx.RejectUnknownFields(step, at, "type", "traits", "next");
            var traits = CustomerEvent.EmptyObject;
            if (!step.TryGetProperty("traits", out var t) || t.ValueKind != JsonValueKind.Object || !t.EnumerateObject().Any())
            {
                ctx.Problem(JsonPath.Field(at, "traits"), "an update needs 'traits': a non-empty object");
            }
            else
            {
                traits = Value.FromJson(t);
            }
            return new UpdateStep(traits, Reference(step, at, "next")) { Id = id };
        }
    }
}

using System.Text.Json;
using Journeys.Core.Definitions;

namespace Journeys.Core.Tests.Schemas;

/// <summary>
/// The editor schemas in schemas/ and the reader must speak the same language: every step type,
/// channel and operator the schema offers is accepted by the reader, and what the reader calls
/// unknown the schema does not offer.
/// </summary>
public sealed class SchemaAgreementTests
{
    private static readonly string SchemaDir = FindSchemas();

    private static string FindSchemas()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schemas");
            if (File.Exists(Path.Combine(candidate, "journey.schema.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("schemas/ not found above " + AppContext.BaseDirectory);
    }

    private static JsonElement Schema(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(SchemaDir, name))).RootElement;

    private static string[] Enum(JsonElement schema, params string[] path)
    {
        var node = schema;
        foreach (var p in path) node = node.GetProperty(p);
        return node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static IReadOnlyList<DefinitionProblem> LoadStep(string step) =>
        DefinitionLoader.Load([("j.journey.json", $$$"""{"id":"j","entry":{"event":"Go"},"start":"s","steps":{"s":{{{step}}}}}""")]).Problems;

    [Fact]
    public void Every_step_type_the_schema_offers_is_read()
    {
        var types = Enum(Schema("journey.schema.json"), "$defs", "step", "properties", "type");

        Assert.Equal(["send", "delay", "waitFor", "branch", "split", "update", "jump", "exit"], types);
        foreach (var type in types)
        {
            Assert.DoesNotContain(LoadStep($$"""{"type":"{{type}}"}"""), p => p.Message.Contains("unknown step type", StringComparison.Ordinal));
        }
        Assert.Contains(LoadStep("""{"type":"wait"}"""), p => p.Message.Contains("unknown step type 'wait'", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_channel_the_schema_offers_is_read()
    {
        var channels = Enum(Schema("journey.schema.json"), "$defs", "sendStep", "properties", "channel");

        Assert.Equal(["email", "sms", "push", "webhook", "preferred"], channels);
        foreach (var channel in channels)
        {
            Assert.DoesNotContain(LoadStep($$"""{"type":"send","channel":"{{channel}}"}"""), p => p.Message.Contains("unknown channel", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("propertyTest", "property")]
    [InlineData("traitTest", "trait")]
    public void Every_operator_the_schema_offers_is_read(string definition, string field)
    {
        var operators = Schema("condition.schema.json").GetProperty("$defs").GetProperty(definition).GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).Where(n => n != field).ToList();

        Assert.Contains("notContains", operators);
        foreach (var op in operators)
        {
            var operand = op switch
            {
                "in" or "notIn" => """["a"]""",
                "exists" => "true",
                "withinNext" or "withinLast" or "anniversaryWithinNext" => "\"P7D\"",
                _ => "\"a\"",
            };
            var problems = DefinitionLoader.Load([("s.segment.json", $$$"""{"id":"s","when":{"{{{field}}}":"x","{{{op}}}":{{{operand}}}}}""")]).Problems;
            Assert.True(problems.Count == 0, $"{field} {op}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void Every_sample_names_no_field_outside_the_schema_vocabulary()
    {
        // the samples load clean through the reader (which rejects unknown fields); the schema's
        // top-level properties must cover every field they use
        var allowed = Schema("journey.schema.json").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SchemaDir, "..", "samples", "journeys"), "*.journey.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var field in doc.RootElement.EnumerateObject())
            {
                Assert.True(allowed.Contains(field.Name), $"{Path.GetFileName(file)}: '{field.Name}' is not in journey.schema.json");
            }
        }
    }
}

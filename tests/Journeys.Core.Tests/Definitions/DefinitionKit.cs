using Journeys.Core.Definitions;

namespace Journeys.Core.Tests.Definitions;

internal static class DefinitionKit
{
    /// <summary>The journey example of DESIGN §4, verbatim.</summary>
    public const string DesignJourney = """
        {
          "id": "abandoned-cart", "name": "Abandoned cart",
          "entry": {"event": "CartAbandoned", "where": {"property": "cartValue", "gt": 50}},
          "audience": {"include": ["customers"], "exclude": ["do-not-contact"]},
          "reentry": {"mode": "multiple", "lock": "P30D", "cap": {"count": 2, "within": "P60D"}},
          "goal": {"event": "Purchase", "exit": true},
          "exit": {"events": [{"event": "Unsubscribed"}], "maxDuration": "P30D"},
          "start": "wait",
          "steps": {
            "wait":     {"type": "delay", "for": "PT2H", "next": "remind"},
            "remind":   {"type": "send", "channel": "email",
                         "content": {"subject": "Forgot something, {{profile.firstName}}?", "body": "..."},
                         "next": "check"},
            "check":    {"type": "waitFor", "event": "Purchase", "timeout": "PT24H",
                         "onEvent": "thanks", "onTimeout": "discount"},
            "discount": {"type": "send", "channel": "sms", "content": {"text": "10% off: SAVE10"}},
            "thanks":   {"type": "send", "channel": "email", "content": {"subject": "Thanks!", "body": "..."}}
          }
        }
        """;

    public const string CustomersSegment = """
        {"id":"customers","name":"Known customers","when":{"any":[{"trait":"email","exists":true},{"trait":"phone","exists":true}]}}
        """;

    public const string DoNotContactSegment = """
        {"id":"do-not-contact","when":{"trait":"doNotContact","eq":true}}
        """;

    public const string VipSegment = """
        {"id":"vip","when":{"trait":"lifetimeSpend","gte":1000}}
        """;

    /// <summary>A journey with event entry "Go" and the given steps; <paramref name="extra"/> is more top-level fields, each followed by a comma.</summary>
    public static string Journey(string steps, string start = "a", string entry = """{"event":"Go"}""", string extra = "", string id = "j") =>
        $$"""{"id":"{{id}}","entry":{{entry}},{{extra}}"start":"{{start}}","steps":{{steps}}}""";

    /// <summary>Loads one journey file (j.journey.json) together with the customers, do-not-contact and vip segments.</summary>
    public static LoadResult LoadJourney(string journeyJson) =>
        DefinitionLoader.Load(
        [
            ("j.journey.json", journeyJson),
            ("customers.segment.json", CustomersSegment),
            ("do-not-contact.segment.json", DoNotContactSegment),
            ("vip.segment.json", VipSegment),
        ]);

    public static string Describe(LoadResult result) =>
        result.Problems.Count == 0 ? "(no problems)" : string.Join(Environment.NewLine, result.Problems);

    /// <summary>Asserts a problem at exactly <paramref name="path"/> (in <paramref name="file"/> when given) and returns it.</summary>
    public static DefinitionProblem AssertProblem(LoadResult result, string path, string? file = null)
    {
        var problem = result.Problems.FirstOrDefault(p => p.Path == path && (file is null || p.File == file));
        Assert.True(problem is not null, $"expected a problem at {path}{(file is null ? "" : $" in {file}")}; got:{Environment.NewLine}{Describe(result)}");
        return problem;
    }

    public static void AssertValid(LoadResult result)
    {
        Assert.True(result.IsValid, $"expected no problems; got:{Environment.NewLine}{Describe(result)}");
        Assert.Empty(result.Problems);
    }

    /// <summary>The repository root (the folder holding samples/ and src/), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "samples")) && Directory.Exists(Path.Combine(dir.FullName, "src", "Journeys.Core")))
            {
                return dir.FullName;
            }
        }
        return "/work/main";
    }
}

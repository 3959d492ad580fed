using static Journeys.Core.Tests.Conditions.ConditionKit;

namespace Journeys.Core.Tests.Conditions;

/// <summary>
/// The value operators of DESIGN §4: eq ne gt gte lt lte in notIn contains notContains startsWith
/// endsWith exists; strings case-insensitive, numeric strings numeric against numbers, a missing
/// value failing everything but exists:false and ne.
/// </summary>
public class OperatorTests
{
    private const string Purchase = """{"price":120,"sku":"TOP-7","tier":"Gold","name":"Winter Jacket","qty":"3","tags":["Sale","new"],"sizes":[38,40,42],"gift":true}""";

    // ---- eq / ne ----

    [Theory]
    [InlineData("""{"property":"sku","eq":"TOP-7"}""", true)]
    [InlineData("""{"property":"sku","eq":"top-7"}""", true)] // case-insensitive
    [InlineData("""{"property":"sku","eq":"TOP-8"}""", false)]
    [InlineData("""{"property":"price","eq":120}""", true)]
    [InlineData("""{"property":"price","eq":120.0}""", true)]
    [InlineData("""{"property":"price","eq":121}""", false)]
    [InlineData("""{"property":"price","eq":"120"}""", true)] // numeric string operand vs number value
    [InlineData("""{"property":"qty","eq":3}""", true)] // numeric string value vs number operand
    [InlineData("""{"property":"qty","eq":3.0}""", true)]
    [InlineData("""{"property":"qty","eq":4}""", false)]
    [InlineData("""{"property":"gift","eq":true}""", true)]
    [InlineData("""{"property":"gift","eq":false}""", false)]
    public void Eq(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    [Theory]
    [InlineData("""{"property":"sku","ne":"TOP-7"}""", false)]
    [InlineData("""{"property":"sku","ne":"tOp-7"}""", false)] // case-insensitive
    [InlineData("""{"property":"sku","ne":"TOP-8"}""", true)]
    [InlineData("""{"property":"price","ne":120}""", false)]
    [InlineData("""{"property":"price","ne":"120"}""", false)]
    [InlineData("""{"property":"qty","ne":3}""", false)]
    [InlineData("""{"property":"price","ne":100}""", true)]
    [InlineData("""{"property":"gift","ne":false}""", true)]
    public void Ne(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    // ---- ordering ----

    [Theory]
    [InlineData("gt", 119, true)]
    [InlineData("gt", 120, false)]
    [InlineData("gt", 121, false)]
    [InlineData("gte", 119, true)]
    [InlineData("gte", 120, true)]
    [InlineData("gte", 121, false)]
    [InlineData("lt", 119, false)]
    [InlineData("lt", 120, false)]
    [InlineData("lt", 121, true)]
    [InlineData("lte", 119, false)]
    [InlineData("lte", 120, true)]
    [InlineData("lte", 121, true)]
    public void OrderingOnNumbers(string op, double operand, bool expected)
    {
        var condition = $$"""{"property":"price","{{op}}":{{operand}}}""";
        Assert.Equal(expected, OnProperties(condition, Purchase));
    }

    [Theory]
    // "99" vs 100: numerically 99 < 100; as text "99" > "100" — the spec says numeric.
    [InlineData("""{"property":"amount","gt":100}""", false)]
    [InlineData("""{"property":"amount","lt":100}""", true)]
    [InlineData("""{"property":"amount","lte":99}""", true)]
    [InlineData("""{"property":"amount","gte":99.5}""", false)]
    // a number value against a numeric string operand: numeric too
    [InlineData("""{"property":"price","gt":"100"}""", true)]
    [InlineData("""{"property":"price","lt":"1000"}""", true)]
    public void OrderingNumericStringsAgainstNumbersIsNumeric(string condition, bool expected) =>
        Assert.Equal(expected, OnProperties(condition, """{"amount":"99","price":120}"""));

    [Theory]
    // ordinal 'a' (97) > 'B' (66), but case-insensitively "apple" < "banana"
    [InlineData("""{"property":"fruit","gt":"BANANA"}""", false)]
    [InlineData("""{"property":"fruit","lt":"BANANA"}""", true)]
    [InlineData("""{"property":"fruit","gte":"APPLE"}""", true)]
    [InlineData("""{"property":"fruit","lte":"APPLE"}""", true)]
    [InlineData("""{"property":"fruit","gt":"APPLE"}""", false)]
    public void OrderingOnStringsIsCaseInsensitive(string condition, bool expected) =>
        Assert.Equal(expected, OnProperties(condition, """{"fruit":"apple"}"""));

    // ---- in / notIn ----

    [Theory]
    [InlineData("""{"property":"tier","in":["gold","vip"]}""", true)] // "Gold" vs "gold"
    [InlineData("""{"property":"tier","in":["silver","vip"]}""", false)]
    [InlineData("""{"property":"price","in":[100,120]}""", true)]
    [InlineData("""{"property":"price","in":["120"]}""", true)]
    [InlineData("""{"property":"qty","in":[1,2,3]}""", true)]
    [InlineData("""{"property":"qty","in":[1,2]}""", false)]
    [InlineData("""{"property":"tier","notIn":["GOLD","vip"]}""", false)]
    [InlineData("""{"property":"tier","notIn":["silver","vip"]}""", true)]
    [InlineData("""{"property":"price","notIn":[100,120]}""", false)]
    [InlineData("""{"property":"qty","notIn":[1,2]}""", true)]
    public void InAndNotIn(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    // ---- contains / notContains ----

    [Theory]
    [InlineData("""{"property":"name","contains":"JACKET"}""", true)] // substring, case-insensitive
    [InlineData("""{"property":"name","contains":"ter jac"}""", true)]
    [InlineData("""{"property":"name","contains":"coat"}""", false)]
    [InlineData("""{"property":"tags","contains":"sale"}""", true)] // array element, case-insensitive
    [InlineData("""{"property":"tags","contains":"NEW"}""", true)]
    [InlineData("""{"property":"tags","contains":"old"}""", false)]
    [InlineData("""{"property":"tags","contains":"Sal"}""", false)] // arrays hold elements, not substrings
    [InlineData("""{"property":"sizes","contains":40}""", true)]
    [InlineData("""{"property":"sizes","contains":"42"}""", true)] // numeric string against numbers
    [InlineData("""{"property":"sizes","contains":44}""", false)]
    public void Contains(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    [Theory]
    [InlineData("""{"property":"name","notContains":"jacket"}""", false)]
    [InlineData("""{"property":"name","notContains":"coat"}""", true)]
    [InlineData("""{"property":"tags","notContains":"SALE"}""", false)]
    [InlineData("""{"property":"tags","notContains":"old"}""", true)]
    [InlineData("""{"property":"sizes","notContains":38}""", false)]
    [InlineData("""{"property":"sizes","notContains":39}""", true)]
    public void NotContains(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    // ---- startsWith / endsWith ----

    [Theory]
    [InlineData("""{"property":"sku","startsWith":"TOP"}""", true)]
    [InlineData("""{"property":"sku","startsWith":"top-"}""", true)]
    [InlineData("""{"property":"sku","startsWith":"OP"}""", false)]
    [InlineData("""{"property":"sku","endsWith":"-7"}""", true)]
    [InlineData("""{"property":"name","endsWith":"JACKET"}""", true)]
    [InlineData("""{"property":"name","endsWith":"winter"}""", false)]
    public void StartsWithAndEndsWith(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    // ---- exists ----

    [Theory]
    [InlineData("""{"property":"sku","exists":true}""", true)]
    [InlineData("""{"property":"sku","exists":false}""", false)]
    [InlineData("""{"property":"coupon","exists":true}""", false)]
    [InlineData("""{"property":"coupon","exists":false}""", true)]
    [InlineData("""{"property":"gift","exists":true}""", true)] // a false-y value still exists
    public void Exists(string condition, bool expected) => Assert.Equal(expected, OnProperties(condition, Purchase));

    [Fact]
    public void ExistsHoldsForFalseAndZeroValues()
    {
        Assert.True(OnProperties("""{"property":"flag","exists":true}""", """{"flag":false}"""));
        Assert.True(OnProperties("""{"property":"n","exists":true}""", """{"n":0}"""));
        Assert.True(OnProperties("""{"property":"s","exists":true}""", """{"s":""}"""));
    }

    // ---- missing values ----

    [Theory]
    [InlineData("""{"property":"missing","eq":"x"}""", false)]
    [InlineData("""{"property":"missing","eq":0}""", false)]
    [InlineData("""{"property":"missing","ne":"x"}""", true)]
    [InlineData("""{"property":"missing","ne":0}""", true)]
    [InlineData("""{"property":"missing","gt":0}""", false)]
    [InlineData("""{"property":"missing","gte":0}""", false)]
    [InlineData("""{"property":"missing","lt":0}""", false)]
    [InlineData("""{"property":"missing","lte":0}""", false)]
    [InlineData("""{"property":"missing","gt":"a"}""", false)]
    [InlineData("""{"property":"missing","lt":"z"}""", false)]
    [InlineData("""{"property":"missing","in":["x",1]}""", false)]
    [InlineData("""{"property":"missing","notIn":["x",1]}""", false)]
    [InlineData("""{"property":"missing","contains":"x"}""", false)]
    [InlineData("""{"property":"missing","notContains":"x"}""", false)]
    [InlineData("""{"property":"missing","startsWith":"x"}""", false)]
    [InlineData("""{"property":"missing","endsWith":"x"}""", false)]
    [InlineData("""{"property":"missing","exists":true}""", false)]
    [InlineData("""{"property":"missing","exists":false}""", true)]
    public void MissingValueFailsEveryOperatorButExistsFalseAndNe(string condition, bool expected)
    {
        Assert.Equal(expected, OnProperties(condition, Purchase));
        // the same through a missing intermediate object on a dotted path
        Assert.Equal(expected, OnProperties(condition.Replace("\"missing\"", "\"cart.total\"", StringComparison.Ordinal), Purchase));
        // and as a trait test on an empty profile
        Assert.Equal(expected, OnTraits(condition.Replace("\"property\"", "\"trait\"", StringComparison.Ordinal), "{}"));
    }

    // ---- dotted paths ----

    [Theory]
    [InlineData("""{"property":"cart.total","gt":50}""", true)]
    [InlineData("""{"property":"cart.total","gt":80}""", false)]
    [InlineData("""{"property":"cart.currency","eq":"usd"}""", true)]
    [InlineData("""{"property":"cart.items.count","eq":3}""", true)]
    [InlineData("""{"property":"cart.items","exists":true}""", true)]
    [InlineData("""{"property":"cart.discount","exists":false}""", true)]
    [InlineData("""{"property":"cart.total.cents","exists":false}""", true)] // past a leaf
    [InlineData("""{"property":"total","exists":false}""", true)] // nested fields are not top-level
    public void DottedPropertyPaths(string condition, bool expected) =>
        Assert.Equal(expected, OnProperties(condition, """{"cart":{"total":75.5,"currency":"USD","items":{"count":3}}}"""));

    // ---- traits ----

    private const string Beth = """{"email":"beth@example.com","firstName":"Beth","loyaltyTier":"gold","lifetimeSpend":"1250","consent":{"sms":true,"email":false},"interests":["Hiking","tea"],"age":34}""";

    [Theory]
    [InlineData("""{"trait":"loyaltyTier","in":["GOLD","vip"]}""", true)]
    [InlineData("""{"trait":"loyaltyTier","eq":"Gold"}""", true)]
    [InlineData("""{"trait":"loyaltyTier","ne":"silver"}""", true)]
    [InlineData("""{"trait":"loyaltyTier","notIn":["silver"]}""", true)]
    [InlineData("""{"trait":"lifetimeSpend","gte":1000}""", true)] // numeric string trait
    [InlineData("""{"trait":"lifetimeSpend","gt":1250}""", false)]
    [InlineData("""{"trait":"lifetimeSpend","lte":1250}""", true)]
    [InlineData("""{"trait":"age","lt":35}""", true)]
    [InlineData("""{"trait":"age","eq":"34"}""", true)]
    [InlineData("""{"trait":"consent.sms","eq":true}""", true)]
    [InlineData("""{"trait":"consent.email","eq":true}""", false)]
    [InlineData("""{"trait":"consent.push","exists":false}""", true)]
    [InlineData("""{"trait":"email","endsWith":"@EXAMPLE.com"}""", true)]
    [InlineData("""{"trait":"firstName","startsWith":"be"}""", true)]
    [InlineData("""{"trait":"firstName","contains":"ET"}""", true)]
    [InlineData("""{"trait":"interests","contains":"hiking"}""", true)]
    [InlineData("""{"trait":"interests","notContains":"golf"}""", true)]
    [InlineData("""{"trait":"phone","exists":true}""", false)]
    public void TraitTests(string condition, bool expected) => Assert.Equal(expected, OnTraits(condition, Beth));

    [Fact]
    public void PropertyTestsReadTheEventAndTraitTestsReadTheProfile()
    {
        var context = Context(traitsJson: """{"tier":"gold"}""", propertiesJson: """{"tier":"silver"}""");
        Assert.True(Eval("""{"property":"tier","eq":"silver"}""", context));
        Assert.False(Eval("""{"property":"tier","eq":"gold"}""", context));
        Assert.True(Eval("""{"trait":"tier","eq":"gold"}""", context));
        Assert.False(Eval("""{"trait":"tier","eq":"silver"}""", context));

        var onlyTrait = Context(traitsJson: """{"vipSince":"2020"}""");
        Assert.False(Eval("""{"property":"vipSince","exists":true}""", onlyTrait));
        var onlyProperty = Context(propertiesJson: """{"coupon":"BDAY10"}""");
        Assert.False(Eval("""{"trait":"coupon","exists":true}""", onlyProperty));
    }

    [Fact]
    public void OneCompiledConditionGivesEachContextItsOwnAnswer()
    {
        var compiled = Compile("""{"property":"price","gt":100}""");
        Assert.True(compiled.Evaluate(Context(propertiesJson: """{"price":150}""")));
        Assert.False(compiled.Evaluate(Context(propertiesJson: """{"price":50}""")));
        Assert.True(compiled.Evaluate(Context(propertiesJson: """{"price":"101"}""")));
        Assert.False(compiled.Evaluate(Context(propertiesJson: "{}")));
    }

    [Fact]
    public void NonNumericStringAgainstANumberIsNotANumber()
    {
        // "abc" does not parse as a number, so it can be neither equal nor ordered against 5
        Assert.False(OnProperties("""{"property":"v","eq":5}""", """{"v":"abc"}"""));
        Assert.False(OnProperties("""{"property":"v","gt":5}""", """{"v":"abc"}"""));
        Assert.False(OnProperties("""{"property":"v","lt":5}""", """{"v":"abc"}"""));
    }
}

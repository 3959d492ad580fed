using System.Globalization;
using System.Text.Json;

namespace Journeys.Benchmarks;

/// <summary>
/// Writes a synthetic month of events for the sample journeys:
/// <c>generate [--users 100000] [--days 30] [--seed 1] [--out events.jsonl]</c>.
/// Each user gets one identify and on average two track events drawn from the samples' event names,
/// spread over the period, written in time order (as a replay expects).
/// </summary>
internal static class EventLogGenerator
{
    private static readonly (string Event, double Weight)[] Mix =
    [
        ("ProductViewed", 30), ("Purchase", 20), ("CartAbandoned", 12), ("ScreenView", 10), ("StoreVisit", 8),
        ("AddToFavorites", 5), ("SignedUp", 4), ("GiftGuideViewed", 4), ("TestDriveBooked", 2), ("AccountOpened", 2),
        ("AddToWishlist", 2), ("RewardRedeemed", 1),
    ];

    private static readonly string[] Zones = ["America/New_York", "Europe/London", "Europe/Istanbul", "Asia/Tokyo", "America/Los_Angeles"];
    private static readonly string[] Categories = ["coffee", "cameras", "tops", "shoes"];
    private static readonly string[] Tiers = ["bronze", "silver", "gold", "vip"];

    public static int Run(string[] args)
    {
        var users = Option(args, "--users", 100_000);
        var days = Option(args, "--days", 30);
        var seed = Option(args, "--seed", 1);
        var outPath = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "events.jsonl";
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var span = TimeSpan.FromDays(days).TotalSeconds;
        var totalWeight = Mix.Sum(m => m.Weight);

        var events = new List<(long Seconds, int User, int Kind)>(users * 3);
        for (var u = 0; u < users; u++)
        {
            var first = (long)(random.NextDouble() * span * 0.5);
            events.Add((first, u, -1));
            var tracks = random.Next(0, 5); // 0..4, mean 2
            for (var t = 0; t < tracks; t++)
            {
                var pick = random.NextDouble() * totalWeight;
                var kind = 0;
                while (pick >= Mix[kind].Weight) pick -= Mix[kind++].Weight;
                events.Add((first + (long)(random.NextDouble() * (span - first)), u, kind));
            }
        }
        events.Sort((a, b) => a.Seconds != b.Seconds ? a.Seconds.CompareTo(b.Seconds) : a.User.CompareTo(b.User));

        using var stream = File.Create(outPath);
        using var writer = new Utf8JsonWriter(stream);
        var newline = "\n"u8.ToArray();
        var n = 0;
        foreach (var (seconds, user, kind) in events)
        {
            var userId = $"sim-{user}";
            var at = start.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            writer.WriteStartObject();
            writer.WriteString("type", kind < 0 ? "identify" : "track");
            writer.WriteString("messageId", $"sim-{n++}");
            writer.WriteString("userId", userId);
            if (kind < 0)
            {
                writer.WriteStartObject("traits");
                writer.WriteString("firstName", $"User{user}");
                if (random.Next(10) < 9) writer.WriteString("email", $"{userId}@example.com");
                if (random.Next(2) == 0) writer.WriteString("phone", $"+1555{user:D7}");
                writer.WriteString("timezone", Zones[user % Zones.Length]);
                writer.WriteString("loyaltyTier", Tiers[random.Next(Tiers.Length)]);
                writer.WriteString("birthday", new DateOnly(1970 + random.Next(40), 12, 1).AddDays(random.Next(days + 14)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteStartObject("consent");
                writer.WriteBoolean("sms", random.Next(3) > 0);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("event", Mix[kind].Event);
                writer.WriteStartObject("properties");
                writer.WriteNumber("price", random.Next(5, 300));
                writer.WriteNumber("cartValue", random.Next(5, 300));
                writer.WriteString("category", Categories[random.Next(Categories.Length)]);
                writer.WriteString("screen", random.Next(2) == 0 ? "Discounts" : "Home");
                writer.WriteString("sku", $"SKU-{random.Next(1000)}");
                writer.WriteEndObject();
            }
            writer.WriteString("timestamp", at);
            writer.WriteEndObject();
            writer.Flush();
            stream.Write(newline);
            writer.Reset();
        }
        Console.Error.WriteLine($"wrote {events.Count} events for {users} users over {days} days to {outPath}");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}

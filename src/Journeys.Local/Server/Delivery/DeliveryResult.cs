namespace Journeys.Local.Server.Delivery;

/// <summary>What a channel provider made of one message.</summary>
public abstract record DeliveryResult
{
    public static readonly DeliveryResult Done = new Delivered();

    /// <summary>The provider has it; never attempted again.</summary>
    public sealed record Delivered : DeliveryResult;

    /// <summary>Not now (rate limited, provider down): try again after <paramref name="After"/> (the provider's Retry-After when it gave one).</summary>
    public sealed record Retry(TimeSpan? After, string Error) : DeliveryResult;

    /// <summary>Will never go (rejected, or out of attempts): recorded with the reason.</summary>
    public sealed record Failed(string Error) : DeliveryResult;
}

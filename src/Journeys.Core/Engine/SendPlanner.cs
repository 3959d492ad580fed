using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>The channel and address a send goes to, or why it cannot go (a suppression reason).</summary>
public readonly record struct SendPlan(Channel Channel, string? To, string? SuppressedReason)
{
    public bool CanSend => SuppressedReason is null;
}

/// <summary>
/// The delivery rules of DESIGN §4: a channel needs its address, then consent (SMS only with an
/// explicit opt-in, email and push unless opted out; webhooks are destinations, not people).
/// </summary>
public static class SendPlanner
{
    private static readonly Channel[] Fallback = [Channel.Email, Channel.Sms, Channel.Push];

    /// <summary>For a webhook the address is its rendered url, which the caller fills in.</summary>
    public static SendPlan Plan(SendStep step, Profile profile)
    {
        if (step.Channel == Channel.Webhook)
        {
            return new SendPlan(Channel.Webhook, null, null);
        }
        if (step.Channel != Channel.Preferred)
        {
            return Check(step.Channel, profile);
        }
        // preferred: the person's preferredChannel when it can go, else the first of email, sms, push that can
        var candidates = new List<Channel>(4);
        if (Parse(profile.Trait("preferredChannel").AsString) is { } preferred && step.Content.ContainsKey(preferred))
        {
            candidates.Add(preferred);
        }
        candidates.AddRange(Fallback.Where(c => step.Content.ContainsKey(c) && !candidates.Contains(c)));
        SendPlan? first = null;
        foreach (var channel in candidates)
        {
            var plan = Check(channel, profile);
            if (plan.CanSend)
            {
                return plan;
            }
            first ??= plan;
        }
        return first ?? new SendPlan(Channel.Email, null, TraceReason.NoAddress);
    }

    public static SendPlan Check(Channel channel, Profile profile)
    {
        var (addressTrait, consentKey) = channel switch
        {
            Channel.Email => ("email", "email"),
            Channel.Sms => ("phone", "sms"),
            _ => ("pushToken", "push"),
        };
        var address = profile.Trait(addressTrait).AsString;
        if (string.IsNullOrWhiteSpace(address))
        {
            return new SendPlan(channel, null, TraceReason.NoAddress);
        }
        var consent = profile.Consent(consentKey);
        var allowed = channel == Channel.Sms ? consent == true : consent != false;
        return new SendPlan(channel, address, allowed ? null : TraceReason.NoConsent);
    }

    public static string Name(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Sms => "sms",
        Channel.Push => "push",
        Channel.Webhook => "webhook",
        _ => "preferred",
    };

    public static Channel? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "email" => Channel.Email,
        "sms" => Channel.Sms,
        "push" => Channel.Push,
        _ => null,
    };
}

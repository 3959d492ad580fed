namespace Journeys.Functions.DevHost;

/// <summary>The app's service provider, known once the host is built (orchestrator factories take none).</summary>
public sealed class ServiceProviderHolder
{
    private IServiceProvider? _services;

    public IServiceProvider Services
    {
        get => _services ?? throw new InvalidOperationException("the dev host has not been built yet");
        set => _services = value;
    }
}

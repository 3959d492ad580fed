namespace Journeys.Functions.DevHost;

/// <summary>The --definitions folder does not validate: one line per problem.</summary>
public sealed class DefinitionsException(string message) : Exception(message);

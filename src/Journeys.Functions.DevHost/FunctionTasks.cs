using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The Functions app's orchestrators and activities, found by reflection as the Functions host finds them:
/// every <c>[Function(name)]</c> method with an <c>[OrchestrationTrigger]</c> or <c>[ActivityTrigger]</c>
/// parameter, registered on the Durable Task worker under that name. The declaring class is created per
/// invocation from DI (as the Functions worker does), so a function added to the app is served here with no
/// change. Orchestrator inputs are read as strings: the app passes its state as JSON text (OrchestrationJson),
/// and <see cref="TaskOrchestrationContext.GetInput{T}"/> only casts what the worker deserialized.
/// </summary>
public static class FunctionTasks
{
    /// <returns>The names registered, orchestrators and activities.</returns>
    public static IReadOnlyList<string> Register(DurableTaskRegistry registry, Assembly assembly, ServiceProviderHolder services)
    {
        var names = new List<string>();
        foreach (var (name, method, trigger) in Find(assembly))
        {
            if (trigger.ParameterType == typeof(TaskOrchestrationContext))
            {
                var orchestrator = new ReflectedOrchestrator(method, services);
                registry.AddOrchestrator(name, () => orchestrator);
            }
            else
            {
                var activity = new ReflectedActivity(method, trigger.ParameterType, services);
                registry.AddActivity(name, _ => activity);
            }
            names.Add(name);
        }
        return names;
    }

    internal static IEnumerable<(string Name, MethodInfo Method, ParameterInfo Trigger)> Find(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }
                var trigger = method.GetParameters().FirstOrDefault(p =>
                    p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null || p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
                if (trigger is null)
                {
                    continue; // an HTTP, timer or Event Hubs function: the dev host calls those itself
                }
                if (trigger.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null && trigger.ParameterType != typeof(TaskOrchestrationContext))
                {
                    throw new NotSupportedException($"{type.Name}.{method.Name}: an orchestration trigger binds a TaskOrchestrationContext here");
                }
                yield return (function.Name, method, trigger);
            }
        }
    }

    /// <summary>The argument list for one invocation: the trigger's value, and what else a Functions method may ask for.</summary>
    internal static object?[] Arguments(MethodInfo method, object? trigger, IServiceProvider services)
    {
        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            arguments[i] =
                p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null || p.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? trigger
                : p.ParameterType == typeof(CancellationToken) ? services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
                : p.ParameterType == typeof(DurableTaskClient) ? services.GetRequiredService<DurableTaskClient>()
                : throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name}: parameter {p.Name} ({p.ParameterType.Name}) has no binding in the dev host");
        }
        return arguments;
    }

    /// <summary>Runs the method and unwraps a Task or Task&lt;T&gt; result (awaited on the caller's context: orchestrators need that).</summary>
    internal static async Task<object?> InvokeAsync(MethodInfo method, object?[] arguments, IServiceProvider services)
    {
        var target = method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(services, method.DeclaringType!);
        object? result;
        try
        {
            result = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        if (result is Task task)
        {
            await task;
            var type = task.GetType();
            return type.IsGenericType && type.GetProperty(nameof(Task<object>.Result)) is { } property && ResultType(method) != typeof(void)
                ? property.GetValue(task)
                : null;
        }
        return result;
    }

    internal static Type ResultType(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(void))
        {
            return typeof(void);
        }
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
    }

    private sealed class ReflectedOrchestrator(MethodInfo method, ServiceProviderHolder services) : ITaskOrchestrator
    {
        public Type InputType => typeof(string);

        public Type OutputType => ResultType(method) is var t && t == typeof(void) ? typeof(object) : t;

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            InvokeAsync(method, Arguments(method, context, services.Services), services.Services);
    }

    private sealed class ReflectedActivity(MethodInfo method, Type inputType, ServiceProviderHolder services) : ITaskActivity
    {
        public Type InputType => inputType;

        public Type OutputType => ResultType(method) is var t && t == typeof(void) ? typeof(object) : t;

        public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
            InvokeAsync(method, Arguments(method, input, services.Services), services.Services);
    }
}

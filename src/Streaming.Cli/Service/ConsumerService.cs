using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Core.Consumer;

namespace Streaming.Cli.Service;

/// <summary>
/// The long-running consumer as a hosted service: a thin shell around the <see cref="ShardSupervisor"/>, whose
/// shard loops do the work. Stopping the host (SIGTERM, Ctrl+C) cancels it, and the coordinator then flushes,
/// checkpoints and releases within the consumer's shutdown timeout.
/// </summary>
internal sealed class ConsumerService : BackgroundService
{
    private readonly ShardSupervisor _coordinator;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ConsumerService> _logger;

    public ConsumerService(ShardSupervisor coordinator, IHostApplicationLifetime lifetime, ILogger<ConsumerService> logger)
    {
        _coordinator = coordinator;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ServiceLog.Started(_logger, _coordinator.WorkerId);
        try
        {
            await _coordinator.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Streaming.Core.Failures.WorkerFailedException)
        {
            // The supervisor already stopped every shard and released the leases; the command reports the
            // failure (Health.Failure) and exits 1. Stopping the host is all that is left.
            _lifetime.StopApplication();
        }

        ServiceLog.Stopped(_logger, _coordinator.WorkerId);
    }
}

namespace Streaming.Core.Failures;

/// <summary>
/// What readiness answers from, fed by the parts that see it happen: whether the lease table and the lake
/// answered their last calls, whether the worker has joined the lease table, and whether it hit a failure it
/// cannot get past. Thread-safe; read by the operations endpoint.
/// </summary>
public sealed class WorkerHealth
{
    private readonly Lock _gate = new();
    private string? _leaseTableProblem;
    private string? _lakeProblem;
    private string? _failure;
    private bool _joined;
    private readonly List<string> _unfinishedStops = [];

    /// <summary>The permanent failure that stopped the worker, as one line; null while none.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Shards whose graceful stop could not write everything (the next owner re-reads them).</summary>
    public IReadOnlyList<string> UnfinishedStops
    {
        get
        {
            lock (_gate)
            {
                return _unfinishedStops.ToList();
            }
        }
    }

    public void LeaseTableAnswered(bool joined = false)
    {
        lock (_gate)
        {
            _leaseTableProblem = null;
            _joined |= joined;
        }
    }

    public void LeaseTableFailed(string problem)
    {
        lock (_gate)
        {
            _leaseTableProblem = problem;
        }
    }

    public void LakeAnswered()
    {
        lock (_gate)
        {
            _lakeProblem = null;
        }
    }

    public void LakeFailed(string problem)
    {
        lock (_gate)
        {
            _lakeProblem = problem;
        }
    }

    /// <summary>Records the first permanent failure; later ones are consequences of it.</summary>
    public bool Fail(string line)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return false;
            }

            _failure = line;
            return true;
        }
    }

    public void StopUnfinished(string shardId)
    {
        lock (_gate)
        {
            _unfinishedStops.Add(shardId);
        }
    }

    /// <summary>Ready: joined the lease table, nothing failed for good, and the lease table and the lake answer. Otherwise why not.</summary>
    public bool IsReady(out string reason)
    {
        lock (_gate)
        {
            reason = _failure is not null ? $"failed: {_failure}"
                : !_joined ? "not yet joined the lease table"
                : _leaseTableProblem is not null ? $"the lease table does not answer: {_leaseTableProblem}"
                : _lakeProblem is not null ? $"the lake cannot be written: {_lakeProblem}"
                : "ready";
            return reason == "ready";
        }
    }
}

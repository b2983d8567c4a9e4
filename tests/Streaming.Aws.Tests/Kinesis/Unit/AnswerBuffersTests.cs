using Streaming.Aws.Kinesis.Internal;

namespace Streaming.Aws.Tests.Kinesis.Unit;

/// <summary>GetRecords answers are read into kept arrays: as many as are read at once, none past a full answer's size.</summary>
public sealed class AnswerBuffersTests
{
    [Fact]
    public void An_answer_is_read_into_the_array_the_previous_one_gave_back()
    {
        var buffers = new AnswerBuffers();
        var first = buffers.Rent(3_000_000);
        Assert.True(first.Length >= 3_000_000);
        buffers.Return(first);

        Assert.Same(first, buffers.Rent(2_000_000));
        Assert.Equal(0, buffers.Count);
    }

    [Fact]
    public void Shards_reading_at_once_get_arrays_of_their_own_and_the_smallest_that_fits()
    {
        var buffers = new AnswerBuffers();
        var large = buffers.Rent(12_000_000);
        var small = buffers.Rent(10_000);
        Assert.NotSame(large, small);
        buffers.Return(large);
        buffers.Return(small);

        Assert.Same(small, buffers.Rent(5_000));
        Assert.Same(large, buffers.Rent(5_000));
    }

    [Fact]
    public void At_most_four_arrays_are_kept_and_none_larger_than_a_full_answer()
    {
        var buffers = new AnswerBuffers();
        var rented = Enumerable.Range(1, 6).Select(i => buffers.Rent(i * 1_000_000)).ToList();
        rented.ForEach(buffers.Return);
        Assert.Equal(AnswerBuffers.MaxKept, buffers.Count);
        // The largest ones were kept.
        Assert.Same(rented[5], buffers.Rent(5_500_000));

        var huge = buffers.Rent(AnswerBuffers.MaxKeptBytes + 1);
        Assert.Equal(AnswerBuffers.MaxKeptBytes + 1, huge.Length);
        buffers.Return(huge);
        Assert.Equal(AnswerBuffers.MaxKept - 1, buffers.Count);
    }
}

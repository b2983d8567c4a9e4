using Streaming.Core.Events;

namespace Streaming.Core.Tests.Events;

public sealed class TableNamesTests
{
    [Theory]
    [InlineData("user_registration", "user_registration")]
    [InlineData("User-Registration", "user_registration")]
    [InlineData("a.b-c", "a_b_c")]
    [InlineData("x", "x")]
    public void Valid_types_normalise(string type, string table)
    {
        Assert.True(TableNames.TryNormalize(type, out var normalized));
        Assert.Equal(table, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("_x")]
    [InlineData("-x")]
    [InlineData(".x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("9lives")]
    [InlineData("a b")]
    [InlineData("ü")]
    public void Invalid_types_never_make_a_table(string type)
    {
        Assert.False(TableNames.TryNormalize(type, out _));
    }

    [Fact]
    public void No_accepted_name_can_hold_a_path_character()
    {
        for (var c = 0; c < 0x3000; c++)
        {
            if (TableNames.TryNormalize($"a{(char)c}b", out var table))
            {
                Assert.Matches("^[a-z][a-z0-9_]{0,63}$", table);
            }
        }
    }
}

using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Tests.Directory;

public sealed class SecretHashTests
{
    [Fact]
    public void TheRightSecretVerifiesAndAWrongOneDoesNot()
    {
        var stored = SecretHash.Hash("s3cret");
        Assert.True(SecretHash.Verify("s3cret", stored));
        Assert.False(SecretHash.Verify("s3cret!", stored));
    }

    [Fact]
    public void TheSameSecretHashesDifferentlyEachTime()
    {
        Assert.NotEqual(SecretHash.Hash("s3cret"), SecretHash.Hash("s3cret"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AA==$AA==")]
    [InlineData("pbkdf2-sha256$1000$not base64$AA==")]
    public void AMalformedStoredValueNeverVerifies(string stored)
    {
        Assert.False(SecretHash.Verify("anything", stored));
    }
}

using Xunit;

namespace PamGen.Analyzers.Tests;

public class SmokeTests
{
    [Fact]
    public void MultiplicationFree_attribute_is_usable_on_methods()
    {
        var usage = (System.AttributeUsageAttribute)System.Attribute.GetCustomAttribute(
            typeof(MultiplicationFreeAttribute), typeof(System.AttributeUsageAttribute))!;
        Assert.True(usage.ValidOn.HasFlag(System.AttributeTargets.Method));
    }
}

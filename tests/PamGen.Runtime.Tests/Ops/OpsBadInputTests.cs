using System;
using Xunit;
using I = PamGen.IeeeArithmetic;
using P = PamGen.PamArithmetic<PamGen.PamDefaults>;

namespace PamGen.Tests;

/// <summary>Shape mismatches name both shapes; NaN/∞ stops the step with the operation's name and the step number.</summary>
public class OpsBadInputTests
{
    [Fact]
    public void Linear_shape_mismatch_names_the_buffer_and_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Linear.Forward<I>(new float[6], new float[10], new float[6], default, 2, 4, 3));
        Assert.Contains("'input' holds 10 floats", ex.Message);
        Assert.Contains("[2, 4]", ex.Message);
        Assert.Equal("input", ex.ParamName);
    }

    [Fact]
    public void Attention_and_layernorm_shape_mismatches_throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => Attention.Forward<I, I>(new float[2 * 3 * 8], new float[2 * 2 * 3 * 3],
            new float[2 * 3 * 8], new float[2 * 4 * 8], new float[2 * 3 * 8], default, 2, 3, 3, 8, 2, false));
        Assert.Contains("'k' holds 64 floats", ex.Message);
        Assert.Contains("[2, 3, 8]", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => LayerNorm.Forward<I>(new float[12], new float[3], new float[3], new float[12], new float[5], new float[4], 3, 4));
        Assert.Contains("'gamma' holds 5 floats", ex2.Message);
        Assert.Contains("[4]", ex2.Message);
        Assert.Throws<ArgumentException>(() => Attention.Forward<I, I>(new float[24], new float[18],
            new float[24], new float[24], new float[24], default, 1, 3, 3, 8, 3, false)); // 8 not divisible by 3 heads
    }

    [Fact]
    public void Tensor_shape_mismatch_names_both_shapes()
    {
        var arena = new TensorArena();
        var t = arena.Activation("encoder.0.x", 4, 8);
        var ex = Assert.Throws<ArgumentException>(() => t.RequireShape("Linear 'encoder.0.q'", 4, 16));
        Assert.Contains("[4, 8]", ex.Message);
        Assert.Contains("[4, 16]", ex.Message);
        Assert.Contains("encoder.0.x", ex.Message);
    }

    [Fact]
    public void Model_input_of_the_wrong_shape_names_both_shapes()
    {
        var model = TransformerClassifier.Create(TrainingMode.Ieee, ModelsTrainingTests.ClassifierConfig, ModelsTrainingTests.Options, 4, 8);
        var ex = Assert.Throws<ArgumentException>(() => model.TrainStep(new int[4, 9], new int[4]));
        Assert.Contains("[4, 9]", ex.Message);
        Assert.Contains("[4, 8]", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => model.TrainStep(new int[4, 8], new int[3]));
        Assert.Contains("[3]", ex2.Message);
        Assert.Contains("[4]", ex2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainStep(new int[4, 8] { { 0, 0, 0, 0, 0, 0, 0, 99 }, { 0, 0, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0 } }, new int[4]));
    }

    [Theory]
    [InlineData(TrainingMode.Ieee)]
    [InlineData(TrainingMode.Pam)]
    public void NaN_in_a_parameter_stops_the_step_naming_the_first_operation_and_the_step(TrainingMode mode)
    {
        var model = TransformerClassifier.Create(mode, ModelsTrainingTests.ClassifierConfig, ModelsTrainingTests.Options, 4, 8);
        var (x, y) = Tasks.FirstTokenClass(4, 8, 12, 4, 1);
        model.TrainStep(x, y);
        model.TrainStep(x, y);
        Tensor gamma = Find(model, "encoder.1.mlp.ln.gamma");
        gamma.Span[3] = float.NaN;
        var before = model.Arena.ParameterData.ToArray();
        var ex = Assert.Throws<NonFiniteException>(() => model.TrainStep(x, y));
        Assert.Equal("encoder.1.mlp.ln", ex.Operation);
        Assert.Equal(3, ex.Step);
        Assert.Contains("step 3", ex.Message);
        Assert.Contains("encoder.1.mlp.ln", ex.Message);
        // The update was not applied.
        var after = model.Arena.ParameterData.ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(after[i]));
    }

    [Fact]
    public void Overflowing_gradient_stops_the_step_in_the_backward_pass()
    {
        var model = TransformerClassifier.Create(TrainingMode.Ieee, ModelsTrainingTests.ClassifierConfig, ModelsTrainingTests.Options, 4, 8);
        var (x, y) = Tasks.FirstTokenClass(4, 8, 12, 4, 1);
        model.TrainStep(x, y);
        // A huge final LayerNorm gain keeps the forward finite (logits ~1e30) but the gradients behind it are ~1e29:
        // their squares overflow the global norm.
        Find(model, "encoder.norm.gamma").Span.Fill(1e30f);
        var ex = Assert.Throws<NonFiniteException>(() => model.TrainStep(x, y));
        Assert.Equal(2, ex.Step);
        Assert.Equal("backward", ex.Pass);
        Assert.Contains("step 2", ex.Message);
        Assert.Contains(ex.Operation, ex.Message);
    }

    [Fact]
    public void Clipping_names_the_non_finite_gradient()
    {
        var arena = new TensorArena();
        var a = arena.Parameter("layer.a", true, ParameterInit.Zeros, 0f, 3);
        var b = arena.Parameter("layer.b", true, ParameterInit.Zeros, 0f, 3);
        arena.Allocate();
        b.GradSpan[1] = float.PositiveInfinity;
        var ex = Assert.Throws<NonFiniteException>(() => GradientClipping.ClipGlobalNorm<P>(new[] { a.Grad!, b.Grad! }, 1f, 17));
        Assert.Equal("layer.b.grad", ex.Operation);
        Assert.Equal(17, ex.Step);
    }

    [Fact]
    public void Out_of_range_targets_tokens_and_probabilities_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Forward<I>(new float[2], new float[6], new float[6], new[] { 0, 3 }, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Forward<I>(new float[4], new[] { 2, 5 }, new float[6], new float[4], 1, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward<I>(new float[2], new float[2], 1f, 0));
    }

    private static Tensor Find(TransformerModel model, string name)
    {
        foreach (var p in model.Parameters) if (p.Name == name) return p;
        throw new InvalidOperationException(name + " not found");
    }
}

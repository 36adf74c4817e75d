using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PamGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, with stable ids (STYLE.md §3): PAM0001–0099 model declaration errors,
/// PAM0200–0299 DSL compile errors, PAM0900+ internal. Ids are never reused; each message says how to fix it.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Declaration = "PamGen.Declaration", Dsl = "PamGen.Dsl", Internal = "PamGen.Internal";

    /// <summary>A type that receives generated members is not partial.</summary>
    public static readonly DiagnosticDescriptor NonPartialType = Error("PAM0001", Declaration,
        "Type is not partial",
        "'{0}' must be declared 'partial' so PamGen can add the generated members; add the 'partial' modifier");

    /// <summary>The type is nested in a type that is not partial.</summary>
    public static readonly DiagnosticDescriptor NonPartialContainer = Error("PAM0002", Declaration,
        "Enclosing type is not partial",
        "'{0}' is nested in '{1}', which is not 'partial'; add 'partial' to every enclosing type");

    /// <summary>A PamGen attribute where it cannot apply.</summary>
    public static readonly DiagnosticDescriptor MisusedAttribute = Error("PAM0003", Declaration,
        "PamGen attribute used where it does not apply",
        "{0}; {1}");

    /// <summary>A model without a [Forward] method.</summary>
    public static readonly DiagnosticDescriptor MissingForward = Error("PAM0004", Declaration,
        "Model has no [Forward] method",
        "[PamModel] '{0}' has no [Forward] method; add one, e.g. '[Forward] static TensorExpr Model(TensorExpr x) => Head(x);'");

    /// <summary>A model with more than one [Forward] method.</summary>
    public static readonly DiagnosticDescriptor DuplicateForward = Error("PAM0005", Declaration,
        "Model has more than one [Forward] method",
        "[PamModel] '{0}' already has the [Forward] method '{1}'; keep exactly one [Forward] method");

    /// <summary>A parameter or return type outside the DSL.</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Error("PAM0006", Declaration,
        "Unsupported type in a PamGen declaration",
        "{0} has type '{1}' but {2}");

    /// <summary>A layer kind the generator cannot emit yet.</summary>
    public static readonly DiagnosticDescriptor UnsupportedLayer = Error("PAM0007", Declaration,
        "Layer kind not supported by this generator",
        "Layer '{0}' is declared with [{1}], which is no PamGen layer this generator knows; use Linear, Embedding, PositionalEmbedding, PatchEmbedding, LayerNorm, Dropout, MultiHeadAttention, FeedForward, TransformerEncoder, TransformerDecoder, Conv2d or MaxPool");

    /// <summary>A layer attribute argument that can never be valid.</summary>
    public static readonly DiagnosticDescriptor InvalidLayerArgument = Error("PAM0008", Declaration,
        "Invalid layer argument",
        "Layer '{0}': {1} is {2} but must be {3}");

    /// <summary>A parameter name the generated code reserves.</summary>
    public static readonly DiagnosticDescriptor ReservedName = Error("PAM0009", Declaration,
        "Name reserved by the generated code",
        "Parameter '{0}' of '{1}' collides with a name the generated kernel uses ({2}); rename the parameter");

    /// <summary>An expression outside the DSL subset.</summary>
    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("PAM0201", Dsl,
        "Unsupported expression",
        "'{0}' is not supported in {1}; {2}");

    /// <summary>A kernel that calls itself.</summary>
    public static readonly DiagnosticDescriptor Recursion = Error("PAM0202", Dsl,
        "Recursive kernel",
        "[PamKernel] '{0}' calls itself through '{1}'; kernels are inlined into one pass and cannot recurse, so remove the cycle");

    /// <summary>A tensor shape mismatch known at build time.</summary>
    public static readonly DiagnosticDescriptor ShapeMismatch = Error("PAM0203", Dsl,
        "Shape mismatch",
        "{0} expects {1} but receives {2}; {3}");

    /// <summary>A name that is no parameter, local, layer or kernel.</summary>
    public static readonly DiagnosticDescriptor UnknownName = Error("PAM0204", Dsl,
        "Unknown name",
        "'{0}' is not {1}; {2}");

    /// <summary>The generator failed; a bug in PamGen.</summary>
    public static readonly DiagnosticDescriptor InternalError = Error("PAM0900", Internal,
        "PamGen generator internal error",
        "PamGen could not generate code for '{0}' ({1}); nothing was generated for it, please report this with the declaration");

    /// <summary>Every descriptor by id.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new Dictionary<string, DiagnosticDescriptor>
    {
        [NonPartialType.Id] = NonPartialType,
        [NonPartialContainer.Id] = NonPartialContainer,
        [MisusedAttribute.Id] = MisusedAttribute,
        [MissingForward.Id] = MissingForward,
        [DuplicateForward.Id] = DuplicateForward,
        [UnsupportedType.Id] = UnsupportedType,
        [UnsupportedLayer.Id] = UnsupportedLayer,
        [InvalidLayerArgument.Id] = InvalidLayerArgument,
        [ReservedName.Id] = ReservedName,
        [UnsupportedExpression.Id] = UnsupportedExpression,
        [Recursion.Id] = Recursion,
        [ShapeMismatch.Id] = ShapeMismatch,
        [UnknownName.Id] = UnknownName,
        [InternalError.Id] = InternalError,
    };

    private static DiagnosticDescriptor Error(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: "https://github.com/pamgen/pamgen/blob/main/README.md#" + id.ToLowerInvariant());
}

using System;

namespace PamGen;

/// <summary>
/// Declares that the code in its scope (an assembly, a type or a method, including lambdas and local
/// functions inside it) performs no floating-point multiplication or division. PamGen's analyzer
/// (rules PAM0100–PAM0199) reports every real multiplication left in that scope.
/// </summary>
[AttributeUsage(
    AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method
    | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Interface,
    AllowMultiple = false,
    Inherited = false)]
public sealed class MultiplicationFreeAttribute : Attribute
{
}

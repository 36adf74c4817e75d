using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using PamGen.Generators.Specs;
using Xunit;

namespace PamGen.Generators.Tests;

/// <summary>Walks every spec type by reflection: no Roslyn type (symbol, syntax, location, compilation) may be held.</summary>
public sealed class SpecPurityTests
{
    [Fact]
    public void SpecsHoldNoRoslynObjects()
    {
        var roslyn = typeof(Microsoft.CodeAnalysis.Compilation).Assembly;
        var roslynCSharp = typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly;
        var seen = new HashSet<Type>();
        var offenders = new List<string>();
        var roots = typeof(KernelSpec).Assembly.GetTypes().Where(t => t.Namespace == typeof(KernelSpec).Namespace && !t.IsAbstract || t == typeof(KernelSpec));
        foreach (var root in roots) Walk(root, root.Name);
        Assert.Contains(typeof(LocationInfo), seen);
        Assert.Contains(typeof(PamGen.Dsl.Scalar.ScalarExpr), seen);
        Assert.True(offenders.Count == 0, "Spec members of Roslyn types: " + string.Join(", ", offenders));

        void Walk(Type type, string path)
        {
            if (type.IsGenericType) foreach (var arg in type.GetGenericArguments()) Walk(arg, path + "<" + arg.Name + ">");
            if (type.IsArray) Walk(type.GetElementType()!, path + "[]");
            if (type.Assembly == roslyn || type.Assembly == roslynCSharp)
            {
                offenders.Add($"{path}: {type.FullName}");
                return;
            }
            if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !seen.Add(type)) return;
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
            // Subclasses of an abstract spec type (e.g. ScalarExpr's node records) are walked too.
            foreach (var sub in type.Assembly.GetTypes().Where(t => t.BaseType == type)) Walk(sub, path + ":" + sub.Name);
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                Walk(field.FieldType, path + "." + field.Name);
        }
    }
}

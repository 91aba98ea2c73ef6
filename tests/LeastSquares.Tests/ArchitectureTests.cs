using System.Reflection;

namespace LeastSquares.Tests;

/// <summary>The core stays free of I/O and of the CLI's libraries (STYLE: "the core does no I/O; the CLI is glue").</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(Moments).Assembly;

    [Fact]
    public void Core_does_not_reference_the_cli_libraries()
    {
        var names = Core.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.DoesNotContain("CsvHelper", names);
        Assert.DoesNotContain("System.CommandLine", names);
        Assert.DoesNotContain("ScottPlot", names);
        Assert.Contains("MathNet.Numerics", names);
    }

    [Fact]
    public void Core_uses_no_console_and_no_files()
    {
        // Scans the IL of every method and constructor of every type of the core (nested and
        // compiler-generated ones, which hold lambdas and iterators, included) for calls into the
        // console, the file system, the network or other processes: a call into them appears as a
        // member reference in the metadata of some method body.
        int scannedTypes = 0;
        int scannedBodies = 0;
        var types = Core.GetTypes();
        foreach (var type in types)
        {
            scannedTypes++;
            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                var body = method.GetMethodBody();
                if (body is null)
                {
                    continue;
                }

                scannedBodies++;
                var il = body.GetILAsByteArray() ?? [];
                for (int i = 0; i + 4 < il.Length; i++)
                {
                    // call / callvirt / newobj / ldsfld / ldfld followed by a metadata token
                    if (il[i] is not (0x28 or 0x6F or 0x73 or 0x7E or 0x7B))
                    {
                        continue;
                    }

                    int token = BitConverter.ToInt32(il, i + 1);
                    MemberInfo? member;
                    try
                    {
                        member = type.Module.ResolveMember(token, type.IsGenericType ? type.GetGenericArguments() : null,
                            method.IsGenericMethod ? method.GetGenericArguments() : null);
                    }
                    catch (ArgumentException)
                    {
                        continue; // not a token at this offset
                    }

                    Assert.False(member?.DeclaringType is { } d && IsForbidden(d),
                        $"{type.FullName}.{method.Name} uses {member?.DeclaringType?.FullName}.{member?.Name}");
                }
            }
        }

        Assert.Equal(types.Length, scannedTypes);
        Assert.True(scannedTypes > 40 && scannedBodies > 300, $"{scannedTypes} types, {scannedBodies} method bodies scanned");
    }

    /// <summary>The console, files and streams (System.IO), the network, processes and the environment.</summary>
    private static bool IsForbidden(Type type) =>
        type == typeof(Console) || type == typeof(Environment) || type == typeof(System.Diagnostics.Process)
        || type.Namespace is { } ns && (ns == "System.IO" || ns.StartsWith("System.IO.", StringComparison.Ordinal)
            || ns == "System.Net" || ns.StartsWith("System.Net.", StringComparison.Ordinal));

    [Fact]
    public void Core_namespaces_follow_its_folders()
    {
        string[] seams = ["LeastSquares", "LeastSquares.Terms", "LeastSquares.State", "LeastSquares.Loss", "LeastSquares.Solvers",
            "LeastSquares.Statistics", "LeastSquares.Numerics"];
        foreach (var type in Core.GetTypes().Where(t => t.Namespace is not null && !t.Name.StartsWith('<')))
        {
            Assert.True(seams.Contains(type.Namespace) || type.Namespace!.StartsWith("LeastSquares.Terms.", StringComparison.Ordinal),
                $"{type.FullName} is outside the core's seams");
        }
    }
}

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
        // Scans the IL's member references by name: a call into Console or System.IO.File would
        // appear as a referenced type in the metadata of some method body.
        var forbidden = new[] { typeof(Console), typeof(File), typeof(FileStream), typeof(StreamReader), typeof(StreamWriter) };
        foreach (var type in Core.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var body = method.GetMethodBody();
                if (body is null)
                {
                    continue;
                }

                var il = body.GetILAsByteArray() ?? [];
                for (int i = 0; i + 4 < il.Length; i++)
                {
                    // call / callvirt / newobj followed by a metadata token
                    if (il[i] is not (0x28 or 0x6F or 0x73))
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

                    Assert.False(member?.DeclaringType is { } d && forbidden.Contains(d),
                        $"{type.Name}.{method.Name} uses {member?.DeclaringType?.Name}.{member?.Name}");
                }
            }
        }
    }
}

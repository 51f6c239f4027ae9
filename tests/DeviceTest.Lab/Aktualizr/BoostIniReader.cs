using System.Diagnostics;

namespace DeviceTest.Lab.Aktualizr;

/// <summary>
/// boost's own INI reader, called as aktualizr calls it on every configuration file
/// (<c>boost::property_tree::ini_parser::read_ini(filename, pt)</c>, then every <c>"</c> removed from a value): a small
/// C++ program compiled with clang++ against the system's boost headers (<c>libboost-dev</c>), so the agent's reader
/// can be compared with the real one. It prints one line per top-level key (<c>top NAME\x1FVALUE</c>), section
/// (<c>section NAME</c>) and key of that section (<c>key NAME\x1FVALUE</c>), in boost's order, or
/// <c>error LINE: MESSAGE</c>.
/// </summary>
public sealed class BoostIniReader
{
    /// <summary>Separates a name from its value in the output (names and values may hold blanks, never this).</summary>
    public const char Separator = '\x1F';

    private const string IniParserHeader = "/usr/include/boost/property_tree/ini_parser.hpp";

    private const string Source = """
        // Prints how aktualizr reads a configuration file: boost's read_ini, then every '"' removed from a value.
        #include <boost/property_tree/ini_parser.hpp>
        #include <boost/property_tree/ptree.hpp>
        #include <algorithm>
        #include <iostream>
        #include <string>

        static std::string unquoted(std::string value) {
          value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
          return value;
        }

        int main(int argc, char** argv) {
          if (argc != 2) {
            std::cerr << "usage: read-ini FILE\n";
            return 2;
          }
          boost::property_tree::ptree tree;
          try {
            boost::property_tree::ini_parser::read_ini(argv[1], tree);
          } catch (const boost::property_tree::ini_parser_error& e) {
            std::cout << "error " << e.line() << ": " << e.message() << "\n";
            return 0;
          }
          for (const auto& child : tree) {
            if (child.second.empty()) {  // sections without keys are dropped: this is a key before the first section
              std::cout << "top " << child.first << '\x1f' << unquoted(child.second.data()) << "\n";
              continue;
            }
            std::cout << "section " << child.first << "\n";
            for (const auto& key : child.second) {
              std::cout << "key " << key.first << '\x1f' << unquoted(key.second.data()) << "\n";
            }
          }
          return 0;
        }
        """;

    private readonly string _program;

    private BoostIniReader(string program)
    {
        _program = program;
    }

    /// <summary>Compiles the reader into <paramref name="directory"/>; skips (or fails on CI) when clang++ or boost is missing.</summary>
    public static async Task<BoostIniReader> BuildAsync(string directory, CancellationToken cancellationToken)
    {
        LabRequirement.Programs("clang++");
        LabRequirement.Files("boost's property_tree headers (libboost-dev; run: sudo build/lab/install.sh)", IniParserHeader);
        var source = Path.Combine(directory, "read-ini.cpp");
        var program = Path.Combine(directory, "read-ini");
        await File.WriteAllTextAsync(source, Source, cancellationToken);
        var (code, output) = await RunAsync("clang++", ["-std=c++17", "-O0", "-o", program, source], cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"clang++ could not build boost's INI reader ({code}): {output}");
        }

        return new BoostIniReader(program);
    }

    /// <summary>What aktualizr reads from <paramref name="path"/>, in the format above.</summary>
    public async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(_program, [path], cancellationToken);
        return code == 0 ? output : throw new InvalidOperationException($"{_program} {path} failed ({code}): {output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

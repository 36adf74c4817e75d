using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PamGen.Cli.Commands;
using PamGen.Cli.Data;
using PamGen.Cli.Training;
using Xunit;

namespace PamGen.Cli.Tests;

/// <summary>
/// <c>pamgen translate</c>: the Ding dictionary's sentence pairs are read as documented (bad files named with line and
/// offset), the fetch goes through the package manager and refuses a file with the wrong checksum, and a small
/// encoder–decoder learns a character-level task in Pam mode.
/// </summary>
public sealed class TranslateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pamgen-translate-" + Guid.NewGuid().ToString("N"));

    public TranslateTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Ding = """
        # Version :: devel 2023-01-30
        # License :: GPL Version 2 or later
        Abend {m} | Guten Abend! | Der Abend war sehr lang. :: evening | Good evening! | The evening was very long.
        Er kümmert sich keinen Deut darum. [ugs.] :: He doesn't care a straw. [coll.]
        Das Haus {n} ist alt.; Das Gebäude ist alt. :: The house is old.; The building is old.
        Zwei | Alternativen :: only one side
        Wir haben uns die ganze Woche fast nicht aus dem Haus gerührt und das war sehr schön so. :: We hardly stirred from the house all week and it was very nice indeed.
        Er kümmert sich keinen Deut darum. :: He doesn't care a straw.
        """;

    [Fact]
    public void Sentence_pairs_are_aligned_alternatives_without_annotations_deduplicated()
    {
        var pairs = SentencePairs.Parse(Encoding.UTF8.GetBytes(Ding), "ding.txt", 64);
        Assert.Equal(new[]
        {
            new SentencePair("Der Abend war sehr lang.", "The evening was very long."),
            new SentencePair("Er kümmert sich keinen Deut darum.", "He doesn't care a straw."),
            new SentencePair("Das Haus ist alt.", "The house is old."),
        }, pairs);   // "Guten Abend!" has 2 words; the long pair has over 12; the repeat is dropped
    }

    [Fact]
    public void A_line_without_the_separator_is_named_with_its_line_and_byte_offset()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("# comment\nGuten Tag. :: Good day.\nkaputte Zeile ohne Trenner\n");
        var e = Assert.Throws<InvalidDataException>(() => SentencePairs.Parse(bytes, "bad.txt", 64));
        int offset = Encoding.UTF8.GetByteCount("# comment\nGuten Tag. :: Good day.\n");
        Assert.StartsWith($"bad.txt: line 3 (byte offset {offset}) has no ' :: '", e.Message);
        Assert.Contains("--data", e.Message);
    }

    [Fact]
    public void Invalid_utf8_and_files_without_sentences_are_refused()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("Das ist gut. :: That is good.\nDas ist \u00fcbel. :: That is bad.\n");
        int umlaut = Array.IndexOf(bytes, (byte)0xC3);
        bytes[umlaut] = 0xFF;
        var e = Assert.Throws<InvalidDataException>(() => SentencePairs.Parse(bytes, "x.txt", 64));
        Assert.StartsWith("x.txt: line 2 (byte offset 30) is not valid UTF-8", e.Message);

        e = Assert.Throws<InvalidDataException>(() => SentencePairs.Parse(Encoding.UTF8.GetBytes("Haus :: house\n"), "words.txt", 64));
        Assert.Contains("words.txt: no sentence pairs found in 1 lines", e.Message);
    }

    [Fact]
    public void Vocabulary_round_trips_and_marks_unknown_characters()
    {
        var vocabulary = CharVocabulary.Build(new[] { new SentencePair("Ab.", "ab!") });
        Assert.Equal(4 + 5, vocabulary.Count);   // reserved + A b . a !
        var ids = "ab!".Select(vocabulary.Id).Append(CharVocabulary.End).Append(vocabulary.Id('b')).ToArray();
        Assert.Equal("ab!", vocabulary.Decode(ids));   // stops at the end token
        Assert.Equal(CharVocabulary.Unknown, vocabulary.Id('z'));
        Assert.Equal("a\uFFFD", vocabulary.Decode(new[] { vocabulary.Id('a'), CharVocabulary.Unknown, CharVocabulary.Pad }));
    }

    [Fact]
    public void Edit_distance_counts_insertions_deletions_and_substitutions()
    {
        Assert.Equal(3, EditDistance.Between("kitten", "sitting"));
        Assert.Equal(5, EditDistance.Between("", "hello"));
        Assert.Equal(0, EditDistance.Between("same", "same"));
        Assert.Equal(EditDistance.Between("flaw", "lawn"), EditDistance.Between("lawn", "flaw"));
    }

    private sealed class FakeRunner(Func<string, string[], string, (int, string)> run) : IProcessRunner
    {
        public List<string> Calls { get; } = new();
        public (int ExitCode, string Output) Run(string file, string[] arguments, string workingDirectory)
        {
            Calls.Add(file + " " + string.Join(' ', arguments));
            return run(file, arguments, workingDirectory);
        }
    }

    [Fact]
    public void Fetch_runs_apt_and_dpkg_and_refuses_a_file_with_the_wrong_checksum()
    {
        var runner = new FakeRunner((file, args, work) =>
        {
            if (file == "apt-get") File.WriteAllText(Path.Combine(work, "trans-de-en_1.9-6_all.deb"), "deb");
            else
            {
                string target = Path.Combine(work, args[2], DeEnFetcher.FileInPackage);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, Ding);
            }
            return (0, "");
        });
        var e = Assert.Throws<IOException>(() => DeEnFetcher.Fetch(_folder, runner, TextWriter.Null));
        Assert.Equal("apt-get download trans-de-en", runner.Calls[0]);
        Assert.StartsWith("dpkg -x ", runner.Calls[1]);
        Assert.Contains($"expected {DeEnFetcher.Sha256}", e.Message);
        Assert.False(File.Exists(DeEnFetcher.CachedPath(_folder)));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(DeEnFetcher.CachedPath(_folder))!));   // the work folder is gone
    }

    [Fact]
    public void A_failed_apt_call_names_the_command_and_the_way_by_hand()
    {
        var runner = new FakeRunner((_, _, _) => (100, "E: Unable to locate package trans-de-en"));
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TranslateCommand.Run("pam", null, fetch: true, new TranslationSettings(), runner, _folder, output, error);
        Assert.Equal(TrainCommand.BadInput, exit);
        Assert.Contains("`apt-get download trans-de-en` failed (exit 100): E: Unable to locate package trans-de-en", error.ToString());
        Assert.Contains("sudo apt-get update", error.ToString());
        Assert.Contains("--data x/usr/share/trans/de-en", error.ToString());
    }

    [Fact]
    public void Without_data_the_command_says_how_to_get_it()
    {
        var error = new StringWriter();
        int exit = TranslateCommand.Run("pam", null, fetch: false, new TranslationSettings(), new FakeRunner((_, _, _) => throw new InvalidOperationException("no fetch")), _folder, new StringWriter(), error);
        Assert.Equal(TrainCommand.BadInput, exit);
        Assert.Contains("Run `pamgen translate --fetch` once", error.ToString());
    }

    // A character task with real structure: the "English" is the "German" word order reversed, so the decoder must
    // attend across the source. Two hundred pairs of three to five short words.
    private static List<SentencePair> ReversalPairs(int count, int seed)
    {
        var random = new Random(seed);
        string[] words = { "ab", "cd", "ef", "gab", "dec", "fa", "bed", "cab" };
        return Enumerable.Range(0, count).Select(_ =>
        {
            var w = Enumerable.Range(0, random.Next(3, 6)).Select(_ => words[random.Next(words.Length)]).ToArray();
            return new SentencePair(string.Join(' ', w) + ".", string.Join(' ', w.Reverse()) + ".");
        }).ToList();
    }

    [Fact]
    public void A_small_pam_encoder_decoder_learns_to_reverse_word_order()
    {
        var settings = new TranslationSettings(Epochs: 12, Batch: 16, LearningRate: 1e-2f, Dim: 32, Heads: 2, Layers: 1, DecoderLayers: 1,
            Hidden: 64, MaxChars: 24, DecodeCount: 32);
        var train = ReversalPairs(192, 1);
        var test = ReversalPairs(32, 2);
        var vocabulary = CharVocabulary.Build(train);
        var output = new StringWriter();

        var result = TranslationTrainer.Train(TrainingMode.Pam, train, test, settings, output);

        double chance = Math.Log(vocabulary.Count);
        Assert.True(result.TestLoss < 0.5 * chance, $"held-out loss {result.TestLoss} vs ln(vocabulary) {chance:F3}:\n{output}");
        Assert.True(result.TestCharAccuracy > 0.6, $"next-char accuracy {result.TestCharAccuracy:P1}:\n{output}");
        Assert.True(result.CharErrorRate < 0.6, $"greedy CER {result.CharErrorRate:P1}:\n{output}");
        Assert.Equal(5, result.Examples.Count);
        Assert.Equal(settings.Epochs, output.ToString().Split('\n').Count(l => l.Contains("held-out loss", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_command_trains_on_a_dictionary_file_and_prints_the_summary()
    {
        string path = Path.Combine(_folder, "ding.txt");
        File.WriteAllLines(path, ReversalPairs(120, 3).Select(p => $"{p.German} :: {p.English}"));
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TranslateCommand.Run("pam", path, fetch: false, new TranslationSettings(Epochs: 1, Batch: 8, Dim: 16, Heads: 2, Layers: 1, DecoderLayers: 1, Hidden: 32, MaxChars: 24, DecodeCount: 8),
            new FakeRunner((_, _, _) => throw new InvalidOperationException("no fetch")), _folder, output, error);
        Assert.True(exit == 0, output + "\n" + error);
        string text = output.ToString();
        int pairs = SentencePairs.Parse(File.ReadAllBytes(path), path, 24).Count;
        Assert.Contains($"seeded split: {pairs - pairs / 5} train / {pairs / 5} held out", text);
        Assert.Contains("Matmul products per training step:", text);
        Assert.Contains("  ->  ", text);
    }
}

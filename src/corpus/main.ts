// `npm run corpus`: scans the corpus with the default rules and prints what each program gets,
// recall and false alarms per category, and how they compare with the recorded figures.
// Exit 1 when the scan detects fewer leaks or raises more false alarms than recorded.
//   node dist/corpus/main.js [--rules=+bare-go,...]   (rule selection as for `scan --rules`)
import { CORPUS_FIGURES } from './figures.js';
import { formatScore, scoreCorpus } from './score.js';

async function main(): Promise<void> {
  const rules = process.argv.find((a) => a.startsWith('--rules='))?.slice('--rules='.length);
  const score = await scoreCorpus(undefined, { rules: rules ? [rules] : undefined });
  const t = score.total;
  process.stdout.write(formatScore(score));
  const rec = CORPUS_FIGURES;
  process.stdout.write(
    `\nrecall ${t.detected}/${t.leaky}, false alarms ${t.falseAlarms} (${t.flaggedCorrect} of ${t.correct} correct programs flagged); ` +
      `recorded in src/corpus/figures.ts: recall ${rec.detected}/${rec.leaky}, false alarms ${rec.falseAlarms}\n`,
  );
  if (rules) return; // the recorded figures are for the default rules
  if (t.detected < rec.detected || t.falseAlarms > rec.falseAlarms) {
    process.stdout.write('regression against the recorded figures\n');
    process.exitCode = 1;
  } else if (t.detected > rec.detected || t.falseAlarms < rec.falseAlarms || t.leaky !== rec.leaky || t.correct !== rec.correct) {
    process.stdout.write('better than (or different from) the recorded figures: update src/corpus/figures.ts and the README\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`corpus: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});

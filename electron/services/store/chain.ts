import { createHash } from 'node:crypto';

/** `prevHash` of the first entry: 64 zeros. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** Most problems one report lists (a wholesale rewrite would otherwise produce one per row). */
export const MAX_PROBLEMS = 1000;

/** SHA-256 (hex) of `prevHash || canonicalJson`, the link of the chain. */
export function entryHash(prevHash: string, canonicalJson: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson, 'utf8').digest('hex');
}

/** One stored row, in the order the table gives it (by its `seq` column). */
export type ChainRow = { seq: number; entryJson: string; prevHash: string; hash: string };

/** What `verify` found wrong with one entry. */
export type ChainProblem = {
  seq: number;
  kind: 'altered' | 'removed' | 'reordered' | 'bad-genesis' | 'truncated';
  detail: string;
};

/**
 * A head seen at some time and kept outside the journal: a checkpoint of the file next to the database, or one the
 * auditor kept elsewhere (`journal verify --expect-head`). The journal must still reach it, with the same hash.
 */
export type HeadAnchor = { seq: number; hash: string; source: 'checkpoint' | 'expected' };

const ANCHOR_SOURCE: Record<HeadAnchor['source'], string> = {
  checkpoint: 'consignée hors de la base (journal-head.log)',
  expected: 'attendue (--expect-head)',
};

/** Result of walking the chain. */
export type VerifyReport = {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  problems: ChainProblem[];
  /** True when more than MAX_PROBLEMS problems were found and the list was cut. */
  truncated: boolean;
};

type RowInfo = { column: number; seq: number; prevHash: string; hash: string; json: string; isSelfConsistent: boolean };

/** The `seq` written inside the hashed text (authoritative), or the column value when the text is unreadable. */
function embeddedSeq(row: ChainRow): number | undefined {
  try {
    const parsed: unknown = JSON.parse(row.entryJson);
    if (typeof parsed === 'object' && parsed !== null && 'seq' in parsed && Number.isSafeInteger(parsed.seq)) {
      return parsed.seq as number;
    }
  } catch {
    // Unreadable text: reported as altered by the caller.
  }
  return undefined;
}

/**
 * Walk a journal and name every altered, removed, reordered entry and a bad genesis.
 *
 * Each entry's text carries its own `seq`, so it is covered by the hash: the text tells where an entry belongs even
 * when rows were renumbered, moved or deleted. Checks, in order: each row's own hash (altered; if only the link
 * column changed, say so), the genesis link (bad-genesis), links between consecutive entries (a predecessor that was
 * rewritten and re-hashed), gaps in the sequence up to the recorded head (removed, including cut-off tails), and rows
 * stored out of sequence order (reordered). A chain rewritten wholesale from some point, head included, cannot be
 * told from a genuine one without an anchor kept elsewhere: callers may pass the head they last saw.
 */
export function verifyChain(
  rows: Iterable<ChainRow>,
  recordedHead: { seq: number; hash: string } | undefined,
  anchors: readonly HeadAnchor[] = [],
): VerifyReport {
  const infos: RowInfo[] = [];
  const bySeq = new Map<number, RowInfo>();
  const problems = new Map<string, ChainProblem>();
  const report = (seq: number, kind: ChainProblem['kind'], detail: string): void => {
    const key = `${kind}:${String(seq)}`;
    if (!problems.has(key)) {
      problems.set(key, { seq, kind, detail });
    }
  };

  for (const row of rows) {
    const seq = embeddedSeq(row);
    const info: RowInfo = {
      column: row.seq,
      seq: seq ?? row.seq,
      prevHash: row.prevHash,
      hash: row.hash,
      json: row.entryJson,
      isSelfConsistent: entryHash(row.prevHash, row.entryJson) === row.hash,
    };
    if (seq === undefined) {
      report(row.seq, 'altered', `entrée n°${row.seq} : contenu illisible`);
    }
    if (bySeq.has(info.seq)) {
      report(info.seq, 'altered', `entrée n°${info.seq} présente en double (ligne ${row.seq})`);
    } else {
      bySeq.set(info.seq, info);
    }
    infos.push(info);
  }

  for (const info of infos) {
    const expectedPrev = info.seq === 1 ? GENESIS_PREV_HASH : bySeq.get(info.seq - 1)?.hash;
    if (!info.isSelfConsistent) {
      if (expectedPrev !== undefined && entryHash(expectedPrev, info.json) === info.hash) {
        // The text is intact; only the stored link was edited.
        if (info.seq === 1) {
          report(1, 'bad-genesis', `entrée n°1 : lien d'origine modifié (${info.prevHash.slice(0, 12)}…)`);
        } else {
          report(info.seq, 'altered', `entrée n°${info.seq} : lien vers l'entrée précédente modifié`);
        }
      } else {
        report(info.seq, 'altered', `entrée n°${info.seq} : contenu modifié (empreinte invalide)`);
      }
      continue;
    }
    if (info.seq === 1 && info.prevHash !== GENESIS_PREV_HASH) {
      report(1, 'bad-genesis', `entrée n°1 : le lien d'origine n'est pas la valeur zéro attendue`);
      continue;
    }
    const previous = bySeq.get(info.seq - 1);
    // A re-hashed first entry with a forged origin is already named bad-genesis; do not report it twice.
    const isForgedGenesis = previous?.seq === 1 && problems.has('bad-genesis:1');
    if (
      info.seq > 1 &&
      previous !== undefined &&
      previous.hash !== info.prevHash &&
      previous.isSelfConsistent &&
      !isForgedGenesis
    ) {
      // The predecessor verifies on its own but is not what this entry was chained to: rewritten and re-hashed.
      report(
        previous.seq,
        'altered',
        `entrée n°${previous.seq} : réécrite puis ré-empreinte (l'entrée n°${info.seq} ne s'y rattache plus)`,
      );
    }
  }

  let maxSeq = 0;
  for (const info of infos) {
    maxSeq = Math.max(maxSeq, info.seq);
  }
  if (recordedHead !== undefined) {
    const atHead = bySeq.get(recordedHead.seq);
    if (atHead !== undefined && atHead.hash !== recordedHead.hash) {
      report(recordedHead.seq, 'altered', `entrée n°${recordedHead.seq} : ne correspond plus à la tête enregistrée`);
    }
    for (const info of infos) {
      if (info.seq > recordedHead.seq) {
        report(info.seq, 'altered', `entrée n°${info.seq} : ajoutée hors du journal (tête non avancée)`);
      }
    }
  } else if (infos.length > 0) {
    report(maxSeq, 'altered', 'la tête du journal a disparu');
  }
  const lastExpected = Math.max(maxSeq, recordedHead?.seq ?? 0);
  for (const anchor of anchors) {
    const at = bySeq.get(anchor.seq);
    if (anchor.seq > lastExpected) {
      report(
        anchor.seq,
        'truncated',
        `fin du journal coupée : il s'arrête à l'entrée n°${lastExpected}, la tête n°${anchor.seq} était ${ANCHOR_SOURCE[anchor.source]}`,
      );
    } else if (at !== undefined && at.hash !== anchor.hash) {
      report(
        anchor.seq,
        'altered',
        `entrée n°${anchor.seq} : ne correspond plus à la tête ${ANCHOR_SOURCE[anchor.source]}`,
      );
    }
  }
  for (let seq = 1; seq <= lastExpected && problems.size <= MAX_PROBLEMS; seq += 1) {
    if (!bySeq.has(seq)) {
      report(seq, 'removed', `entrée n°${seq} : supprimée`);
    }
  }

  for (let i = 1; i < infos.length && problems.size <= MAX_PROBLEMS; i += 1) {
    const before = infos[i - 1];
    const after = infos[i];
    if (before !== undefined && after !== undefined && after.seq < before.seq) {
      report(before.seq, 'reordered', `entrée n°${before.seq} : rangée avant l'entrée n°${after.seq}`);
      report(after.seq, 'reordered', `entrée n°${after.seq} : rangée après l'entrée n°${before.seq}`);
    }
  }

  const sorted = [...problems.values()].sort((a, b) => a.seq - b.seq || a.kind.localeCompare(b.kind));
  const last = infos.reduce<RowInfo | undefined>(
    (acc, info) => (acc === undefined || info.seq > acc.seq ? info : acc),
    undefined,
  );
  return {
    ok: sorted.length === 0,
    entries: infos.length,
    head: last === undefined ? null : { seq: last.seq, hash: last.hash },
    problems: sorted.slice(0, MAX_PROBLEMS),
    truncated: sorted.length > MAX_PROBLEMS,
  };
}

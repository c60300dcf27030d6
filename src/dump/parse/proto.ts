// pprof debug=0: a gzipped profile.proto with one sample per (stack, labels) and its count.

import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import type { Profile } from 'pprof-format';
import { LEAK_PROFILE_ORIGIN, type Frame } from '../model.js';
import type { DumpBuilder } from './builder.js';

/** Decompressed size beyond which the input is not a goroutine profile (guards gzip bombs). */
export const MAX_GUNZIPPED = 512 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export type GunzipResult = { ok: true; bytes: Buffer } | { ok: false; error: string };

export function gunzip(bytes: Uint8Array): GunzipResult {
  try {
    return { ok: true, bytes: gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED }) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/**
 * The protobuf decoder, loaded on the first gzipped input: text dumps (nearly all, and every dump
 * `goroscope test` reads) do not pay for loading it at start-up.
 */
let pprofFormat: typeof import('pprof-format') | null = null;
function profileClass(): typeof Profile {
  pprofFormat ??= createRequire(import.meta.url)('pprof-format') as typeof import('pprof-format');
  return pprofFormat.Profile;
}

/** Decodes a profile; null when the bytes are not a profile.proto with a sample type. */
export function decodeProfile(bytes: Uint8Array): Profile | null {
  try {
    const p = profileClass().decode(bytes);
    const strings = p.stringTable.strings;
    if (p.sampleType.length === 0 || strings.length === 0 || strings[0] !== '') return null;
    return p;
  } catch {
    return null;
  }
}


/** Adds one 'pprof-proto' section with a record per sample. */
export function addProfile(p: Profile, b: DumpBuilder): void {
  const str = (i: number | bigint): string => p.stringTable.strings[Number(i)] ?? '';
  const leaked = str(p.sampleType[0]!.type) === 'goroutineleak';
  const functions = new Map<number, { name: string; file: string }>();
  for (const f of p.function) functions.set(Number(f.id), { name: b.intern(str(f.name)), file: b.intern(str(f.filename)) });
  // Frames of a location, innermost first; every line but the last was inlined into its caller.
  const locations = new Map<number, Frame[]>();
  for (const loc of p.location) {
    const frames: Frame[] = [];
    loc.line.forEach((ln, k) => {
      const fn = functions.get(Number(ln.functionId)) ?? { name: '', file: '' };
      const inlined = k + 1 < loc.line.length;
      let key = `${fn.name}\t${fn.file}:${Number(ln.line)}`;
      if (inlined) key += '\tinlined';
      frames.push(b.profileFrame(key, { func: fn.name, file: fn.file, line: Number(ln.line), offset: null, inlined, args: '' }));
    });
    locations.set(Number(loc.id), frames);
  }
  const section = b.openSection('pprof-proto', 0, leaked ? LEAK_PROFILE_ORIGIN : null, null);
  for (const s of p.sample) {
    const frames: Frame[] = [];
    for (const id of s.locationId) {
      const fs = locations.get(Number(id));
      if (fs) for (const f of fs) frames.push(f);
    }
    const labels: Record<string, string> = {};
    for (const l of s.label) {
      const key = str(l.key);
      if (!key) continue;
      labels[key] = Number(l.str) !== 0 ? str(l.str) : String(l.num);
    }
    b.addGoroutine(b.profileRecord(frames, labels, leaked, Math.max(0, Number(s.value[0] ?? 0)), 0, section));
  }
}

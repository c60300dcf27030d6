// What watch keeps about a group (the library's GoroutineGroup without its members): its
// identity, where it blocks and what it waits on. Shared by every target: one signature, one group.
import type { GoroutineGroup } from '../dump/analyze/index.js';
import type { FrameRef } from '../dump/analyze/packages.js';
import type { DumpFormat } from '../dump/model.js';
import { groupId, labelledStackKey, stackKey } from './profile.js';

export interface GroupInfo {
  /** groupId(signature): the group's ID in reports, the database and webhooks. */
  gid: string;
  signature: string;
  /** The profile format the group was read from (signatures differ between debug=1 and debug=2). */
  format: DumpFormat;
  state: string;
  kind: string;
  benign: string | null;
  location: FrameRef | null;
  createdBy: FrameRef | null;
  frames: FrameRef[];
  labels: Record<string, string>;
}

/** Group infos by signature, made once per signature. */
export class GroupCatalog {
  private readonly bySignature = new Map<string, GroupInfo>();
  private readonly byGid = new Map<string, GroupInfo>();
  private readonly stackKeys = new Map<string, string>();
  private readonly leakKeys = new Map<string, string>();

  of(group: GoroutineGroup, format: DumpFormat): GroupInfo {
    let info = this.bySignature.get(group.signature);
    if (info === undefined) {
      info = {
        gid: groupId(group.signature),
        signature: group.signature,
        format,
        state: group.state,
        kind: group.kind,
        benign: group.benign,
        location: group.location,
        createdBy: group.createdBy,
        frames: group.frames,
        labels: group.labels,
      };
      this.add(info);
    }
    return info;
  }

  /** Adds an info read back from the store. */
  add(info: GroupInfo): void {
    this.bySignature.set(info.signature, info);
    this.byGid.set(info.gid, info);
  }

  get(gid: string): GroupInfo | undefined {
    return this.byGid.get(gid);
  }

  /** stackKey of the group's frames, computed once. */
  stackKeyOf(info: GroupInfo): string {
    let key = this.stackKeys.get(info.gid);
    if (key === undefined) {
      key = stackKey(info.frames);
      this.stackKeys.set(info.gid, key);
    }
    return key;
  }

  /** labelledStackKey of the group, computed once. */
  leakKeyOf(info: GroupInfo): string {
    let key = this.leakKeys.get(info.gid);
    if (key === undefined) {
      key = labelledStackKey(info.frames, info.labels);
      this.leakKeys.set(info.gid, key);
    }
    return key;
  }
}

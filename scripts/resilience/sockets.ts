/** Counts a process tree's open TCP connections per remote port, from /proc (Linux only). */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process went away
    }
  }
  return out;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** TCP connections (any state but LISTEN) the process tree holds, by remote port. */
export function openConnections(pid: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of descendants(pid)) {
    const inodes = socketInodes(p);
    if (inodes.size === 0) continue;
    for (const table of ["tcp", "tcp6"]) {
      let text = "";
      try {
        text = readFileSync(`/proc/${p}/net/${table}`, "utf8");
      } catch {
        continue;
      }
      for (const line of text.split("\n").slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 10) continue;
        const [, , remote, state, , , , , , inode] = cols;
        if (state === "0A" || !inode || !inodes.has(inode)) continue;
        const port = parseInt(remote!.split(":")[1]!, 16);
        counts.set(port, (counts.get(port) ?? 0) + 1);
      }
    }
  }
  return counts;
}

export function connectionsTo(pid: number, port: number): number {
  return openConnections(pid).get(port) ?? 0;
}

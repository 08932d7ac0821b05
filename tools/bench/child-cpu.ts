// CPU time used by this process's descendants of one name (workerd, for the relay), read from Linux's /proc.
// CPU time per frame depends far less than latency on how loaded the shared machine is, so it shows what a change to
// the relay costs or saves even when the latency figures are dominated by neighbours.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime and stime in clock ticks; 100 per second on every mainstream distribution. */
const TICK_MS = 10;

function statFields(pid: string): { comm: string; ppid: number; cpuMs: number } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = stat.lastIndexOf(')');
		const fields = stat.slice(close + 2).split(' ');
		// After the command come: state, ppid, ... utime (14th field overall) and stime (15th).
		return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
	} catch {
		return null;
	}
}

/** Total CPU milliseconds of the descendants named `name`, or null where /proc is not available. */
export function descendantCpuMs(name: string): number | null {
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
	} catch {
		return null;
	}
	const stats = new Map<number, NonNullable<ReturnType<typeof statFields>>>();
	for (const pid of pids) {
		const fields = statFields(pid);
		if (fields) stats.set(Number(pid), fields);
	}
	const descends = (pid: number): boolean => {
		for (let at = stats.get(pid)?.ppid; at !== undefined && at > 1; at = stats.get(at)?.ppid) if (at === process.pid) return true;
		return false;
	};
	let total = 0;
	for (const [pid, fields] of stats) if (fields.comm === name && descends(pid)) total += fields.cpuMs;
	return total;
}

// What the relay must remember across restarts besides credentials: its ComfyUI clientId, the prompts it is
// waiting on, and how recent prompts ended (so a phone reconnecting after a restart still gets its result).
import { randomId } from '../../src/lib/comfy/ids';
import type { RelayResult } from '../../src/lib/relay/protocol';
import { RECENT_RESULTS } from './relay-state';

export class RelayStore {
	constructor(private readonly sql: SqlStorage) {
		sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
		sql.exec('CREATE TABLE IF NOT EXISTS jobs (prompt_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, submitted_at INTEGER NOT NULL, title TEXT)');
		// Relays deployed before push notifications have the table without the title column.
		const columns = sql.exec<{ name: string }>('PRAGMA table_info(jobs)').toArray().map((c) => c.name);
		if (!columns.includes('title')) sql.exec('ALTER TABLE jobs ADD COLUMN title TEXT');
		// A rig's object keeps no devices: it keeps the name of who queued each job (the default rig's leaves it empty).
		if (!columns.includes('device_name')) sql.exec('ALTER TABLE jobs ADD COLUMN device_name TEXT');
		sql.exec('CREATE TABLE IF NOT EXISTS results (prompt_id TEXT PRIMARY KEY, ended_at INTEGER NOT NULL, json TEXT NOT NULL)');
	}

	/** Stable for the life of the object: ComfyUI routes a prompt's events by the clientId it was queued with. */
	clientId(): string {
		const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'client_id'").toArray()[0];
		if (row) return row.value;
		const id = `relay-${randomId()}`;
		this.sql.exec("INSERT INTO meta (key, value) VALUES ('client_id', ?)", id);
		return id;
	}

	/** The rig a rig object serves (rigs.ts); null for the default rig's object. */
	rigName(): string | null {
		return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'rig'").toArray()[0]?.value ?? null;
	}

	setRigName(name: string): void {
		this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('rig', ?)", name);
	}

	trackJob(promptId: string, deviceId: string, now: number, title?: string, deviceName?: string): void {
		this.sql.exec(
			'INSERT OR REPLACE INTO jobs (prompt_id, device_id, submitted_at, title, device_name) VALUES (?, ?, ?, ?, ?)',
			promptId,
			deviceId,
			now,
			title ?? null,
			deviceName ?? null
		);
	}

	/** The phone's label for a prompt still tracked, if it gave one. */
	jobTitle(promptId: string): string | undefined {
		return this.sql.exec<{ title: string | null }>('SELECT title FROM jobs WHERE prompt_id = ?', promptId).toArray()[0]?.title ?? undefined;
	}

	untrackJob(promptId: string): void {
		this.sql.exec('DELETE FROM jobs WHERE prompt_id = ?', promptId);
	}

	/** Forgets prompts submitted before `cutoff`: a ComfyUI that stays unreachable must not keep the relay awake forever. */
	expireJobs(cutoff: number): void {
		this.sql.exec('DELETE FROM jobs WHERE submitted_at < ?', cutoff);
	}

	activeJobs(): string[] {
		return this.sql.exec<{ prompt_id: string }>('SELECT prompt_id FROM jobs ORDER BY submitted_at').toArray().map((r) => r.prompt_id);
	}

	/** The prompts still waited on, oldest first, with who queued them (for the run owners after a restart). */
	activeJobRows(): { promptId: string; deviceId: string; submittedAt: number; title?: string; deviceName?: string }[] {
		return this.sql
			.exec<{ prompt_id: string; device_id: string; submitted_at: number; title: string | null; device_name: string | null }>('SELECT * FROM jobs ORDER BY submitted_at')
			.toArray()
			.map((r) => ({
				promptId: r.prompt_id,
				deviceId: r.device_id,
				submittedAt: r.submitted_at,
				...(r.title ? { title: r.title } : {}),
				...(r.device_name ? { deviceName: r.device_name } : {})
			}));
	}

	saveResult(result: RelayResult): void {
		this.sql.exec('DELETE FROM jobs WHERE prompt_id = ?', result.promptId);
		this.sql.exec('INSERT OR REPLACE INTO results (prompt_id, ended_at, json) VALUES (?, ?, ?)', result.promptId, result.endedAt, JSON.stringify(result));
		this.sql.exec(
			'DELETE FROM results WHERE prompt_id NOT IN (SELECT prompt_id FROM results ORDER BY ended_at DESC LIMIT ?)',
			RECENT_RESULTS
		);
	}

	recentResults(): RelayResult[] {
		return this.sql
			.exec<{ json: string }>('SELECT json FROM results ORDER BY ended_at')
			.toArray()
			.map((r) => JSON.parse(r.json) as RelayResult);
	}
}

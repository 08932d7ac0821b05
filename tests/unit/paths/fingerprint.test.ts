import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverFingerprint } from '$lib/app/paths/fingerprint';
import type { SystemStats } from '$lib/comfy/types';

const stats = (): SystemStats => ({
	system: { os: 'posix', ram_total: 67_000_000_000, ram_free: 40_000_000_000, comfyui_version: '0.3.64', python_version: '3.12.3', pytorch_version: '2.8.0+cu128', embedded_python: false, argv: ['main.py', '--listen', '0.0.0.0'] },
	devices: [{ name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', type: 'cuda', index: 0, vram_total: 25_386_352_640, vram_free: 24_000_000_000, torch_vram_total: 0, torch_vram_free: 0 }]
});

const recorded = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { response: { json: SystemStats } }).response.json;

describe('serverFingerprint (same ComfyUI, whatever the address)', () => {
	it('ignores what changes from one second to the next (free RAM and VRAM)', () => {
		const b = stats();
		b.system.ram_free = 1;
		b.devices[0].vram_free = 2;
		b.devices[0].torch_vram_free = 3;
		expect(serverFingerprint(b)).toBe(serverFingerprint(stats()));
	});
	it('tells another machine or another ComfyUI apart', () => {
		const base = serverFingerprint(stats());
		const otherGpu = stats();
		otherGpu.devices[0].vram_total = 12_000_000_000;
		const otherVersion = stats();
		otherVersion.system.comfyui_version = '0.33.0';
		const otherRam = stats();
		otherRam.system.ram_total = 32_000_000_000;
		for (const s of [otherGpu, otherVersion, otherRam]) expect(serverFingerprint(s)).not.toBe(base);
	});
	it('the recorded servers of both generations have distinct fingerprints', () => {
		const old = recorded('tests/fixtures/captures/http/system_stats.json');
		const now = recorded('tests/fixtures/captures-2026/http/system_stats.json');
		expect(serverFingerprint(old)).toMatch(/^[0-9a-f]{16}$/);
		expect(serverFingerprint(now)).not.toBe(serverFingerprint(old));
	});
});

// Shared by the node --test files: where the built package is, and contracts.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// MILESTONE_DIST points the tests at another build of the package (e.g. one
// unpacked from `npm pack`).
export const distDir = path.resolve(
  process.env.MILESTONE_DIST || path.join(root, 'dist/milestone-engine'),
);
export const fixturesDir = path.join(root, 'tests/fixtures');

export async function loadPackage() {
  return import(pathToFileURL(path.join(distDir, 'index.mjs')).href);
}

// SPEC 1.1's example plus one more future milestone.
export function sampleContract() {
  return {
    id: 'ctr-1001',
    version: 4,
    currency: 'USD',
    status: 'open',
    initiationFee: 299,
    initiationFeeCharged: true,
    carryOver: 0,
    milestones: [
      {
        id: 'm-1',
        title: 'Wireframes',
        description: '',
        dueDate: '2026-12-15',
        amount: 50000,
        state: 'released',
        funded: 50000,
        released: 50000,
      },
      {
        id: 'm-2',
        title: 'Build',
        description: 'API and UI',
        dueDate: '2027-01-10',
        amount: 120000,
        state: 'active',
        funded: 120000,
        released: 0,
      },
      {
        id: 'm-3',
        title: 'Launch',
        description: '',
        dueDate: null,
        amount: 30000,
        state: 'not_funded',
        funded: 0,
        released: 0,
      },
      {
        id: 'm-4',
        title: 'Support',
        description: '',
        dueDate: null,
        amount: 20000,
        state: 'not_funded',
        funded: 0,
        released: 0,
      },
    ],
    changeRequest: null,
  };
}

// n milestones: the first active, the rest future, due dates in order.
export function bigContract(n) {
  const milestones = [];
  for (let i = 0; i < n; i++) {
    milestones.push({
      id: `m-${i + 1}`,
      title: `Milestone ${i + 1}`,
      description: 'Work for this step.',
      dueDate: `${2027 + Math.floor(i / 12)}-${String(1 + (i % 12)).padStart(2, '0')}-15`,
      amount: 10000 + i,
      state: i === 0 ? 'active' : 'not_funded',
      funded: i === 0 ? 10000 : 0,
      released: 0,
    });
  }
  return {
    id: 'ctr-big',
    version: 1,
    currency: 'USD',
    status: 'open',
    initiationFee: 299,
    initiationFeeCharged: true,
    carryOver: 0,
    milestones,
    changeRequest: null,
  };
}

export const NOW = '2026-11-27';
export const client = { actor: 'client', now: NOW };
export const freelancer = { actor: 'freelancer', now: NOW };

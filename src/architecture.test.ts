// The walls of docs/ARCHITECTURE.md, checked by machine:
//  1. the lint rule dq/module-walls (scripts/eslint/module-walls.js) refuses an import into another
//     module's internals, a platform file importing a module, and an index exporting tables — proven
//     here through the project's own ESLint configuration;
//  2. no SQL touches a table another part of the tree owns: every table is owned by the folder whose
//     *.schema.ts declares it, and a source file may name (in SQL text) or import (as a drizzle table)
//     only its own area's tables. The few crossings that remain are listed below with the method that
//     will replace each; a new crossing fails this test, and so does a listed one that is gone (so the
//     list only shrinks).
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SRC = path.join(ROOT, 'src');

describe('dq/module-walls (npm run lint)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const wallErrors = async (file: string, code: string) => {
    const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return r.messages.filter((m) => m.ruleId === 'dq/module-walls').map((m) => m.message);
  };

  it("refuses an import of another module's internals and names the public index to use", async () => {
    const errs = await wallErrors('src/modules/credit/probe.ts', "import { ApplicationService } from '../svc/applications/applications.service';\nexport const x = ApplicationService;\n");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/inside module svc: import it from '\.\.\/svc'/);
  });

  it("accepts the same thing through the module's public index, and a module's own files", async () => {
    expect(await wallErrors('src/modules/credit/probe.ts', "import { ApplicationService } from '../svc';\nexport const x = ApplicationService;\n")).toEqual([]);
    expect(await wallErrors('src/modules/svc/probe.ts', "import { ApplicationService } from './applications/applications.service';\nexport const x = ApplicationService;\n")).toEqual([]);
  });

  it('refuses a platform file that imports a module, and a module index that exports tables', async () => {
    expect(await wallErrors('src/platform/http/probe.ts', "import { OrgService } from '../../modules/org';\nexport const x = OrgService;\n")).toEqual([expect.stringMatching(/platform serves the modules/)]);
    expect(await wallErrors('src/modules/org/index.ts', "export { organisations } from './org.schema';\n")).toEqual([expect.stringMatching(/must not re-export/)]);
  });

  it('lets tests reach inside (they check the internals)', async () => {
    expect(await wallErrors('src/modules/credit/probe.test.ts', "import { ApplicationService } from '../svc/applications/applications.service';\nexport const x = ApplicationService;\n")).toEqual([]);
  });
});

// ---- table ownership ------------------------------------------------------------------------------------

/** The area that owns a file: `modules/<name>`, `platform/<part>`, or the file itself (app.ts, flows/…). */
function areaOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] === 'modules' && parts.length > 2) return `modules/${parts[1]}`;
  if (parts[0] === 'platform' && parts.length > 2) return `platform/${parts[1]}`;
  return parts.join('/');
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'test') sourceFiles(p, out);
    } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * Crossings that remain, each `file -> table` with what replaces it. The identity module administers
 * the platform's accounts and roles (the UI and API over src/platform/auth), so it may use those tables.
 */
const KNOWN_CROSSINGS: Record<string, string> = {
};
const MAY_USE_ACCOUNTS = new Set(['modules/identity']);

describe('table ownership', () => {
  const files = sourceFiles(SRC);
  // Owner of every table, from the pgTable declarations; and the exported drizzle name of each.
  const owner = new Map<string, string>();
  const tableOfExport = new Map<string, string>(); // `<schema file>#<export>` -> table
  for (const f of files.filter((x) => x.endsWith('.schema.ts'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/export const (\w+) = pgTable\(\s*['"]([a-z_0-9]+)['"]/g)) {
      owner.set(m[2], areaOf(f));
      tableOfExport.set(`${f.replace(/\.ts$/, '')}#${m[1]}`, m[2]);
    }
  }

  function crossings(): Set<string> {
    const found = new Set<string>();
    for (const f of files) {
      const area = areaOf(f);
      const text = fs.readFileSync(f, 'utf8');
      const rel = path.relative(SRC, f).split(path.sep).join('/');
      const foreign = (table: string) => {
        const o = owner.get(table);
        if (!o || o === area) return false;
        if (MAY_USE_ACCOUNTS.has(area) && o === 'platform/auth') return false;
        // The platform's parts serve each other (sessions read users, jobs write audit entries).
        if (area.startsWith('platform/') && o.startsWith('platform/')) return false;
        return true;
      };
      // SQL text: table names after FROM / JOIN / INTO / UPDATE inside string and template literals.
      for (const lit of text.matchAll(/`[^`]*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)) {
        for (const m of lit[0].matchAll(/\b(?:from|join|into|update)\s+"?([a-z_][a-z_0-9]*)"?/gi)) if (foreign(m[1])) found.add(`${rel} -> ${m[1]}`);
      }
      // Drizzle tables imported from another area's schema file.
      for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+\.schema)'/g)) {
        const target = path.resolve(path.dirname(f), m[2]);
        for (const name of m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean)) {
          const table = tableOfExport.get(`${target}#${name}`);
          if (table && foreign(table)) found.add(`${rel} -> ${table}`);
        }
      }
    }
    return found;
  }

  it('knows who owns each table', () => {
    expect(owner.size).toBeGreaterThan(60);
    expect(owner.get('organisations')).toBe('modules/org');
    expect(owner.get('users')).toBe('platform/auth');
    expect(owner.get('svc_notifications')).toBe('platform/notify');
  });

  it('finds no SQL on another area’s tables beyond the listed crossings, and every listed one still exists', () => {
    const found = crossings();
    const fresh = [...found].filter((c) => !(c in KNOWN_CROSSINGS));
    const gone = Object.keys(KNOWN_CROSSINGS).filter((c) => !found.has(c));
    expect(fresh, 'new SQL on a table another module owns: ask the owning module for a method instead').toEqual([]);
    expect(gone, 'a listed crossing is gone: remove it from KNOWN_CROSSINGS').toEqual([]);
  });
});

// ESLint rule `dq/module-walls`: the walls of docs/ARCHITECTURE.md, enforced on every import.
//
//   - A module (src/modules/<name>/) uses another module only through its public index
//     (`../credit`, `../credit/index`), never a file inside it.
//   - A module's index files export services, functions and types, never tables: re-exporting a
//     `*.schema` file would let other modules write SQL against tables they do not own.
//   - The platform (src/platform/) and the standalone libraries (src/lib/) import no module and no flow;
//     src/lib/ imports nothing from the rest of src/ at all (it is published on its own).
//   - Flows (src/flows/) and the composition roots (src/app.ts, src/main.ts) follow the module rule
//     too: public indexes only.
// Tests (`*.test.ts`, src/test/) may reach inside: they check the internals.
import path from 'node:path';

const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src');

/** Where a file or import target sits: { area: 'module' | 'platform' | 'lib' | 'flows' | 'root', name, rest }. */
function place(file) {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return { area: 'outside', name: '', rest: rel };
  const parts = rel.split('/');
  if (parts[0] === 'modules' && parts.length >= 2) {
    // src/modules/deps.ts is the shared description of what every module is built from.
    if (parts.length === 2) return { area: 'modules-root', name: parts[1].replace(/\.tsx?$/, ''), rest: '' };
    return { area: 'module', name: parts[1], rest: parts.slice(2).join('/').replace(/\.tsx?$/, '') };
  }
  if (parts[0] === 'platform' || parts[0] === 'lib' || parts[0] === 'flows' || parts[0] === 'test') return { area: parts[0], name: parts[1] ?? '', rest: parts.slice(1).join('/') };
  return { area: 'root', name: rel, rest: rel };
}

const isTestFile = (file) => /\.test\.tsx?$/.test(file) || place(file).area === 'test';
const isPublicIndex = (p) => p.rest === '' || p.rest === 'index';

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Modules use each other only through their public index; the platform and libraries import no module; indexes export no tables.' },
    schema: [],
    messages: {
      internal: "'{{target}}' is inside module {{module}}: import it from '{{publicPath}}' (its public index), and if it is not exported there, ask the owning module for a method or type instead.",
      platformImportsModule: 'src/{{area}} must not import from {{target}}: the platform serves the modules, never the other way round.',
      libImportsPlatform: 'src/lib is published on its own: it must not import {{target}}.',
      exportsTable: 'A module index must not re-export {{target}}: tables stay inside the module that owns them; offer a method instead.',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    if (!file.startsWith(SRC + path.sep) || isTestFile(file)) return {};
    const from = place(file);
    const isIndexFile = from.area === 'module' && /(^|\/)index$/.test(from.rest);

    function check(node, source, isReExport) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source.value);
      const to = place(target);
      const shown = path.relative(SRC, target).split(path.sep).join('/');
      if ((from.area === 'platform' || from.area === 'lib') && (to.area === 'module' || to.area === 'modules-root' || to.area === 'flows')) {
        context.report({ node: source, messageId: 'platformImportsModule', data: { area: from.area, target: shown } });
        return;
      }
      if (from.area === 'lib' && to.area !== 'lib') {
        context.report({ node: source, messageId: 'libImportsPlatform', data: { target: shown } });
        return;
      }
      if (to.area === 'module' && !(from.area === 'module' && from.name === to.name) && !isPublicIndex(to)) {
        const publicPath = path.relative(path.dirname(file), path.join(SRC, 'modules', to.name)).split(path.sep).join('/');
        context.report({ node: source, messageId: 'internal', data: { target: shown, module: to.name, publicPath: publicPath.startsWith('.') ? publicPath : `./${publicPath}` } });
        return;
      }
      if (isIndexFile && isReExport && /\.schema$|\/schema$/.test(source.value)) {
        context.report({ node: source, messageId: 'exportsTable', data: { target: source.value } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source, false),
      ExportNamedDeclaration: (node) => check(node, node.source, true),
      ExportAllDeclaration: (node) => check(node, node.source, true),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

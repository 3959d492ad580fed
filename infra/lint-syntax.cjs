// Bicep syntax check with the tree-sitter grammar for Bicep (npm: tree-sitter-bicep).
// This is a parser, not the Bicep compiler: it finds syntax errors (unbalanced braces, a
// missing colon, a broken string), not type errors, unknown properties or wrong API versions.
// Usage: node lint-syntax.cjs FILE.bicep... (run by lint.sh, which installs the packages).
const fs = require('fs');
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

const parser = new Parser();
parser.setLanguage(Bicep);

let problems = 0;
for (const file of process.argv.slice(2)) {
  const source = fs.readFileSync(file, 'utf8');
  const tree = parser.parse(source, undefined, { bufferSize: 4 * 1024 * 1024 });
  const stack = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.type === 'ERROR' || node.isMissing) {
      problems++;
      const where = `${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
      const what = node.isMissing ? `missing ${node.type}` : `cannot parse "${node.text.slice(0, 60).replace(/\s+/g, ' ')}"`;
      console.log(`${where}: ${what}`);
      continue;
    }
    for (const child of node.children) stack.push(child);
  }
}
process.exit(problems === 0 ? 0 : 1);

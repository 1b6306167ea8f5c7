import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { columnCell, loadTable, tableColumns, tableFromColumns } from '../../../src/engine/expression/clinical';
import { clinicalColumn, clinicalSubjects } from '../../../src/engine/study/inputs';

test('CSV: numeric and categorical inference, NA / empty / "." missing, levels in order', () => {
  const t = loadTable('id,age,sex,afp\nP01,54,M,12.5\nP02,NA,F,.\nP03,61,M,\nP04,47,,3e2\n', 'c.csv');
  assert.equal(t.delimiter, ',');
  assert.deepEqual(t.columns.map((c) => [c.name, c.type, c.n, c.missing]), [['id', 'categorical', 4, 0], ['age', 'numeric', 3, 1], ['sex', 'categorical', 3, 1], ['afp', 'numeric', 2, 2]]);
  assert.deepEqual(t.columns[2].levels, ['M', 'F']);
  assert.deepEqual({ ...t.rows[1] }, { id: 'P02', age: null, sex: 'F', afp: null }); // rows have a null prototype
  assert.equal(t.rows[3].afp, 300);
  assert.deepEqual(t.lines, [1, 2, 3, 4]);
  assert.deepEqual(t.diagnostics, []);
});

test('semicolon + decimal comma + BOM + CRLF', () => {
  const t = loadTable('\ufeffid;bmi;grade\r\nP1;23,4;A\r\nP2;19;B\r\n', 's.csv');
  assert.equal(t.delimiter, ';');
  assert.equal(t.decimal, ',');
  assert.equal(t.columns[0].name, 'id');
  assert.deepEqual(t.rows.map((r) => r.bmi), [23.4, 19]);
  // A dot decimal anywhere keeps the dot convention.
  const u = loadTable('id;x;y\nP1;1,5;2.5\n', 'u.csv');
  assert.equal(u.decimal, '.');
  assert.equal(u.columns[1].type, 'categorical');
});

test('TSV with quoted cells containing the delimiter and a newline: line numbers follow the text', () => {
  const t = loadTable('id\tnote\tv\n"P1"\t"a\tb"\t1\n"P2"\t"two\nlines"\t2\nP3\tx\t3\n', 't.tsv');
  assert.equal(t.delimiter, '\t');
  assert.equal(t.rows[0].note, 'a\tb');
  assert.equal(t.rows[1].note, 'two\nlines');
  assert.deepEqual(t.lines, [1, 2, 4]);
});

test('diagnostics with line and column: duplicate key, ragged rows, mixed types, duplicate column', () => {
  const text = 'id,age,v,v\nP1,50,1,2\nP2,x,3,4\nP1,52,5,6\nP3,53,7\nP4,54,8,9,10\n';
  const t = loadTable(text, 'd.csv');
  const by = (c: string) => t.diagnostics.filter((d) => d.code === c);
  const dup = by('table-duplicate-key');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].severity, 'error');
  assert.deepEqual(dup[0].range.start, { line: 3, character: 0 });
  assert.equal(dup[0].file, 'd.csv');
  const rag = by('table-ragged');
  assert.deepEqual(rag.map((d) => d.range.start.line), [4, 5]);
  const mixed = by('table-mixed-types');
  assert.equal(mixed.length, 1);
  assert.deepEqual(mixed[0].range.start, { line: 2, character: 3 });
  assert.deepEqual(mixed[0].range.end, { line: 2, character: 4 });
  assert.equal(t.columns[1].type, 'categorical');
  assert.equal(by('table-duplicate-column').length, 1);
  assert.deepEqual(t.columns.map((c) => c.name), ['id', 'age', 'v', 'v.4']);
  assert.equal(t.rows[3]['v.4'], null);   // absent cell
  assert.equal(t.rows[4]['v.4'], 9);      // extra cell ignored
});

test('explicit key column, missing key, empty table, blank rows skipped', () => {
  const t = loadTable('row,sample\n1,S1\n2,S1\n3,\n\n,,\n', 'k.csv', { key: 'sample' });
  assert.equal(t.rows.length, 3);
  assert.equal(t.diagnostics.filter((d) => d.code === 'table-duplicate-key').length, 1);
  assert.equal(t.diagnostics.filter((d) => d.code === 'table-missing-key').length, 1);
  assert.equal(loadTable('a,b\n1,2\n', 'x', { key: 'zz' }).diagnostics[0].code, 'table-unknown-key');
  assert.equal(loadTable('', 'e').diagnostics[0].code, 'table-empty');
});

test('rows: columns named like Object.prototype members are own keys of a null-prototype row (__proto__ included)', () => {
  const t = loadTable('id,__proto__,constructor,toString\nP1,1,x,\nP2,2,y,z\n', 'c.csv');
  assert.deepEqual(t.diagnostics, []);
  const r = t.rows[1];
  assert.equal(Object.getPrototypeOf(r), null);
  assert.deepEqual(Object.keys(r), ['id', '__proto__', 'constructor', 'toString']);
  assert.equal(r['__proto__'], 2);
  assert.equal(r['constructor'], 'y');
  assert.equal(t.rows[0]['toString'], null);
  assert.equal(r['toString'], 'z');
  assert.equal(r['hasOwnProperty'], undefined, 'nothing inherited');
  assert.notEqual(t.rows[0], t.rows[1]);
});

test('key column: numeric keys that read the same number repeat; all-distinct text keys have none', () => {
  const num = loadTable('id,v\n1,a\n2,b\n1.0,c\n', 'n.csv');
  assert.deepEqual(num.diagnostics.map((d) => [d.code, d.range.start.line]), [['table-duplicate-key', 3]]);
  const text = loadTable('id,v\nP1,a\nP2,b\n P1 ,c\nNA,d\n', 't.csv');
  assert.deepEqual(text.diagnostics.map((d) => [d.code, d.range.start.line]), [['table-duplicate-key', 3], ['table-missing-key', 4]]);
  assert.deepEqual(loadTable('id,v\nP1,a\nP2,b\nNA,c\n', 'u.csv').diagnostics.map((d) => d.code), ['table-missing-key']);
});

test('columns: each column\'s cells are the rows\' values (numbers, missing, overflow, texts); the rows are made on first read only', () => {
  const text = 'id,age,grade,note\nP1,61,G1,a\nP2,NA,G2, b \nP3,1e999,G1,\nP4,70.5,,a\n';
  const t = loadTable(text, 'c.csv');
  assert.ok(Object.getOwnPropertyDescriptor(t, 'rows')?.get, 'rows not made by the load');
  assert.deepEqual(t.columns.map((c) => c.type), ['categorical', 'numeric', 'categorical', 'categorical']);
  assert.ok(t.cells[1] instanceof Float64Array);
  assert.deepEqual(t.columns.map((_, j) => t.lines.map((_, i) => columnCell(t.cells[j], i))), [['P1', 'P2', 'P3', 'P4'], [61, null, null, 70.5], ['G1', 'G2', 'G1', null], ['a', 'b', null, 'a']]);
  const { subjects, rows } = clinicalSubjects(t, 'id');
  assert.deepEqual(clinicalColumn(t, 1, rows).values, [61, null, null, 70.5]);
  assert.deepEqual(subjects, ['P1', 'P2', 'P3', 'P4']);
  assert.ok(Object.getOwnPropertyDescriptor(t, 'rows')?.get, 'the study\'s reads (subjects, columns) make no row objects');
  for (let i = 0; i < t.lines.length; i++) t.columns.forEach((c, j) => assert.equal(t.rows[i][c.name], columnCell(t.cells[j], i)));
  assert.equal(Object.getPrototypeOf(t.rows[0]), null);
});

test('a table crosses a worker boundary as its columns (structured clone) and has the same rows after', () => {
  const t = loadTable('id,constructor,x\nA,1,u\nB,,v\nA,3,w\n', 'c.csv');
  const sent = structuredClone(tableColumns(t));
  assert.equal('rows' in sent, false);
  const back = tableFromColumns(sent);
  assert.deepEqual(back.rows, t.rows);
  assert.equal(Object.getPrototypeOf(back.rows[1]), null);
  assert.equal(back.rows[1].constructor, null, 'a column named constructor is a key, not Object\'s');
  assert.deepEqual(clinicalSubjects(back, 'id'), clinicalSubjects(t, 'id'));
  assert.deepEqual([...clinicalSubjects(t, 'id').rows], [2, 1, 2], 'a repeated key\'s values come from its last row');
});

test('quoted cells as R\'s write.csv writes them (a delimiter or "" inside, empty ""), and quotes papaparse must read (a line break inside, a quote mid-cell): the cells papaparse gives', () => {
  const simple = loadTable('"id","name","x"\n"P1","Smith, J",1.5\n"P2","say ""hi""",\n"P3","",NA\n', 's.csv');
  assert.deepEqual(simple.diagnostics, []);
  assert.deepEqual(simple.rows, [{ id: 'P1', name: 'Smith, J', x: 1.5 }, { id: 'P2', name: 'say "hi"', x: null }, { id: 'P3', name: null, x: null }].map((r) => Object.assign(Object.create(null), r)));
  const multi = loadTable('id,note\nP1,"two\nlines"\nP2,a"b\n', 'm.csv');
  assert.deepEqual(multi.rows.map((r) => r.note), ['two\nlines', 'a"b']);
  assert.deepEqual(multi.lines, [1, 3]);
});

test('a table of one column (no delimiter on any line) loads in linear time (the search for the next delimiter went to the text\'s end from every line)', () => {
  const text = `id\n${Array.from({ length: 400_000 }, (_, i) => `P${i}`).join('\n')}\n`;
  const t0 = performance.now();
  const t = loadTable(text, 'one.csv');
  const ms = performance.now() - t0;
  assert.equal(t.lines.length, 400_000);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms (about 0.5 s linear; the quadratic search took about 8 s)`);
});

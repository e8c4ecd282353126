import type { TSESTree } from '@typescript-eslint/types';
import type * as ts from 'typescript';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isFunctionLike, type FunctionLike } from '../syntax.js';

/**
 * With type information, the function a method call lands on when this file declares it, whatever the receiver:
 * `this.store.save(x)` is `FileStore.save` when `store: FileStore` and the class is declared here. Declarations
 * in other files stay with the import resolver (by name) for now.
 */
export function typedCalleeFunction(file: AnalyzedFile, member: TSESTree.MemberExpression): FunctionLike | undefined {
  const types = file.types;
  const back = types?.tsNodeToESTreeNodeMap;
  if (!types || !back) return undefined;
  const property = types.esTreeNodeToTSNodeMap.get(member.property);
  if (!property) return undefined;
  const symbol = types.program.getTypeChecker().getSymbolAtLocation(property);
  const here = property.getSourceFile();
  for (const declaration of symbol?.declarations ?? []) {
    if (declaration.getSourceFile() !== here) continue;
    const node = back.get(declaration);
    const fn = functionOf(node);
    if (fn) return fn;
  }
  return undefined;
}

function functionOf(node: TSESTree.Node | undefined): FunctionLike | undefined {
  if (!node) return undefined;
  if (isFunctionLike(node)) return node;
  if ((node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') && node.value && isFunctionLike(node.value)) return node.value;
  return undefined;
}


// The administrative map as a tree, built from the flat list GET /units returns.
import type { Unit } from './types'

/** UnitNode is a unit with its children, for tree views. */
export interface UnitNode {
  unit: Unit
  depth: number
  children: UnitNode[]
}

const collator = new Intl.Collator('vi')

/** buildTree arranges units under their parents; a unit whose parent the user cannot see
 * becomes a root (a district official's district, a chair's commune). Siblings sort by name. */
export function buildTree(units: Unit[]): UnitNode[] {
  const nodes = new Map<number, UnitNode>()
  for (const u of units) nodes.set(u.id, { unit: u, depth: 0, children: [] })
  const roots: UnitNode[] = []
  for (const n of nodes.values()) {
    const parent = n.unit.parent_id != null ? nodes.get(n.unit.parent_id) : undefined
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  const sort = (list: UnitNode[], depth: number) => {
    list.sort((a, b) => collator.compare(a.unit.name, b.unit.name))
    for (const n of list) {
      n.depth = depth
      sort(n.children, depth + 1)
    }
  }
  sort(roots, 0)
  return roots
}

/** flatten lists a tree depth first, for indented lists and selects. */
export function flatten(tree: UnitNode[]): UnitNode[] {
  const out: UnitNode[] = []
  const walk = (list: UnitNode[]) => {
    for (const n of list) {
      out.push(n)
      walk(n.children)
    }
  }
  walk(tree)
  return out
}

/** childLevel is the level a new unit under parent takes (a province may hold districts or communes). */
export function childLevels(parent: Unit['level'] | null): Unit['level'][] {
  switch (parent) {
    case null:
      return ['province']
    case 'province':
      return ['district', 'commune']
    case 'district':
      return ['commune']
    case 'commune':
      return ['hamlet']
    default:
      return []
  }
}

/** hamletsOf returns the hamlets of a commune, by name. */
export function hamletsOf(units: Unit[], communeId: number): Unit[] {
  return units.filter((u) => u.level === 'hamlet' && u.parent_id === communeId).sort((a, b) => collator.compare(a.name, b.name))
}

/** communesOf returns the communes in a list, by name. */
export function communesOf(units: Unit[]): Unit[] {
  return units.filter((u) => u.level === 'commune').sort((a, b) => collator.compare(a.name, b.name))
}

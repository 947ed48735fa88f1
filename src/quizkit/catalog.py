"""The catalog of a project's valid banks: id → item, id → bank and name → bank,
built once by the loader and passed to selection, the exporters, paper and grading."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import Bank, Item


@dataclass(frozen=True)
class Catalog:
    banks: tuple[Bank, ...]
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)
    _bank_of: dict[str, Bank] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, Bank] = field(init=False, repr=False, compare=False)

    def __init__(self, banks: Iterable[Bank]):
        banks = tuple(banks)
        object.__setattr__(self, "banks", banks)
        object.__setattr__(self, "_items", {i.id: i for b in banks for i in b.items})
        object.__setattr__(self, "_bank_of", {i.id: b for b in banks for i in b.items})
        object.__setattr__(self, "_by_name", {b.name: b for b in banks})

    def __iter__(self) -> Iterator[Bank]:
        return iter(self.banks)

    def __len__(self) -> int:
        return len(self.banks)

    @property
    def names(self) -> list[str]:
        return [bank.name for bank in self.banks]

    def has_bank(self, name: str) -> bool:
        return name in self._by_name

    def bank(self, name: str) -> Bank:
        return self._by_name[name]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def item(self, item_id: str) -> Item:
        return self._items[item_id]

    def bank_of(self, item_id: str) -> Bank:
        return self._bank_of[item_id]

    @property
    def items(self) -> dict[str, Item]:
        """Every item by id (a copy: the catalog never changes)."""
        return dict(self._items)

    def bank_names(self) -> dict[str, str]:
        """Item id → bank name."""
        return {item_id: bank.name for item_id, bank in self._bank_of.items()}

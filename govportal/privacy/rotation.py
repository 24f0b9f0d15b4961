"""Re-encrypt every encrypted field under the newest key (密钥轮换).

For each model with encrypted fields, rows are read in primary-key order, a batch at a
time, each batch in its own transaction with the rows locked (``select_for_update``). A
value is rewritten when its stored key id is not the newest key's; a blind index when it
differs from the value's index under the newest key (which also fills indexes added to a
model after its rows). Running it again finds nothing to do.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.functions import Cast

from .fields import BlindIndexField, EncryptedFieldMixin
from .keys import SEPARATOR, current_key_id

RAW_PREFIX = "_privacy_raw_"


@dataclass
class ModelRotation:
    model: type[models.Model]
    encrypted: list[EncryptedFieldMixin]
    indexes: list[BlindIndexField]
    total: int = 0
    scanned: int = 0
    rewritten: int = 0

    @property
    def label(self) -> str:
        return self.model._meta.label


def models_with_encrypted_fields() -> Iterator[ModelRotation]:
    """Each table holding encrypted fields or blind indexes, once (proxies skipped)."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        encrypted = [f for f in meta.local_concrete_fields if isinstance(f, EncryptedFieldMixin)]
        indexes = [f for f in meta.local_concrete_fields if isinstance(f, BlindIndexField)]
        if encrypted or indexes:
            yield ModelRotation(model, encrypted, indexes)


def rotate_model(
    job: ModelRotation,
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[ModelRotation], None] | None = None,
) -> ModelRotation:
    model = job.model
    using = router.db_for_write(model)
    newest = current_key_id() + SEPARATOR
    manager = model._base_manager.db_manager(using)
    job.total = manager.count()
    # The stored text, read past from_db_value, tells which key encrypted each value.
    raw = {f.attname: Cast(f.attname, output_field=models.TextField()) for f in job.encrypted}
    names = [f.attname for f in job.encrypted + job.indexes]
    # Index sources may live on a parent table (multi-table inheritance): load them too.
    names += [i.source for i in job.indexes if i.source not in names]
    last_pk = None
    while True:
        with transaction.atomic(using=using):
            queryset = manager.order_by("pk").only("pk", *names)
            queryset = queryset.annotate(**{RAW_PREFIX + name: expr for name, expr in raw.items()})
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            if not dry_run:
                queryset = queryset.select_for_update(of=("self",))
            batch = list(queryset[:batch_size])
            if not batch:
                break
            changes: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
            for obj in batch:
                changed = [
                    name
                    for name in raw
                    if (stored := getattr(obj, RAW_PREFIX + name)) and not stored.startswith(newest)
                ]
                for index in job.indexes:
                    expected = index.compute(obj)
                    if getattr(obj, index.attname) != expected:
                        setattr(obj, index.attname, expected)
                        changed.append(index.attname)
                if changed:
                    changes[tuple(changed)].append(obj)
            if not dry_run:
                for fields, objs in changes.items():
                    manager.bulk_update(objs, fields)
            job.scanned += len(batch)
            job.rewritten += sum(len(objs) for objs in changes.values())
            last_pk = batch[-1].pk
        if progress:
            progress(job)
    return job

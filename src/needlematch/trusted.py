"""Pydantic models built from data that was validated already, without validating it again.

For the bundled catalogue read back from its validated copy, and for the
result, whose every part comes from validated symptoms and a validated catalogue.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)
Rebuild = Callable[[Any], Any]

_set = object.__setattr__
_CONSTRUCTORS: dict[type[BaseModel], Callable[..., Any]] = {}
_REBUILDERS: dict[type[BaseModel], Rebuild] = {}


def constructor(model: type[Model]) -> Callable[..., Model]:
    """A function that makes a `model` from a dict holding every field (by name), unchecked.

    It does what `model_construct` does for such a dict, without looking for
    aliases or defaults, so building thousands of small results stays cheap; a
    model with private attributes, extra fields or a post-init hook gets
    `model_construct` itself. `fields_set` (default: every key) is what
    `model_fields_set` will say was given.
    """
    found = _CONSTRUCTORS.get(model)
    if found is None:
        plain = (
            not model.__private_attributes__
            and not model.__pydantic_post_init__
            and not model.__pydantic_root_model__
            and model.model_config.get("extra") != "allow"
        )
        if plain:

            def build(values: dict[str, Any], fields_set: set[str] | None = None) -> Model:
                instance = model.__new__(model)
                _set(instance, "__dict__", values)
                _set(
                    instance,
                    "__pydantic_fields_set__",
                    set(values) if fields_set is None else fields_set,
                )
                _set(instance, "__pydantic_extra__", None)
                _set(instance, "__pydantic_private__", None)
                return instance

        else:

            def build(values: dict[str, Any], fields_set: set[str] | None = None) -> Model:
                return model.model_construct(fields_set, **values)

        _CONSTRUCTORS[model] = found = build
    return typing.cast("Callable[..., Model]", found)


def rebuilder(model: type[Model]) -> Callable[[Any], Model]:
    """A function that turns `model_dump(exclude_unset=True)` of a validated `model` back into
    an equal instance, with the same fields set and the defaults of the fields left out.

    The dump is used up: its dicts become the instances' own.
    """
    found = _REBUILDERS.get(model)
    if found is None:
        make = constructor(model)
        fields = model.model_fields
        count = len(fields)
        nested: list[tuple[str, Rebuild]] = []

        def rebuild(dump: dict[str, Any]) -> Model:
            given = set(dump)
            for name, each in nested:
                if name in dump:
                    dump[name] = each(dump[name])
            if len(dump) < count:  # defaults to fill in, in the fields' order
                dump = {
                    name: dump[name]
                    if name in dump
                    else field.get_default(call_default_factory=True)
                    for name, field in fields.items()
                }
            return make(dump, given)

        # Registered before its fields are planned, so a model that holds itself works.
        _REBUILDERS[model] = found = rebuild
        for name, field in fields.items():
            each = _for_type(field.annotation)
            if each is not None:
                nested.append((name, each))
    return typing.cast("Callable[[Any], Model]", found)


def _for_type(annotation: Any) -> Rebuild | None:
    """How to rebuild a dumped value of this type; None when the dumped value is the value."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _for_type(arguments[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return rebuilder(annotation)
    if origin is list:
        item_type = _for_type(arguments[0])
        if item_type is None:
            return None
        rebuild_item = item_type
        return lambda values: [rebuild_item(value) for value in values]
    if origin is dict:
        value_type = _for_type(arguments[1])
        if value_type is None:
            return None
        rebuild_value = value_type
        return lambda values: {key: rebuild_value(value) for key, value in values.items()}
    if origin in (typing.Union, types.UnionType):
        options = [_for_type(argument) for argument in arguments if argument is not type(None)]
        kinds = [option for option in options if option is not None]
        if not kinds:
            return None
        if len(kinds) > 1 or len(options) > 1:
            raise TypeError(f"cannot tell which type to rebuild in {annotation}")
        (kind,) = kinds
        return lambda value: None if value is None else kind(value)
    if origin in (tuple, set, frozenset) and any(_for_type(item) for item in arguments):
        raise TypeError(f"cannot rebuild a {origin.__name__} of models: {annotation}")
    return None

"""View objects. Templates read these and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Parameter:
    name: str  # on the wire
    python_name: str
    location: str  # path, query or header
    required: bool
    annotation: str  # the Python type, e.g. "str", "list[str]", "Literal['a', 'b']"
    default: str  # Python source of the default, "None" when optional without one
    description: str
    is_list: bool
    server_annotation: str  # what a handler receives: optional only when there is no default
    server_default: str  # Python source of the stub's default ("" when required)
    explode: bool  # False: a list sent as one comma-separated value (`fields=a,b`)
    constraints: str  # FastAPI limits for the stub, e.g. "ge=1, le=10000"
    check: str  # a stricter type the stub validates the parsed value against ("" for none)


@dataclass(frozen=True)
class FormField:
    """One field of a multipart/form-data body."""

    name: str
    python_name: str
    is_file: bool
    required: bool
    annotation: str  # for a non-file field; files are FileInput / UploadedFile


@dataclass(frozen=True)
class Body:
    kind: str  # json, text, binary or multipart
    media_type: str
    annotation: str  # e.g. "models.PublishMessage", "list[models.PublishMessage]", "str", "bytes"
    item_model: str  # the model class a dict is validated into, e.g. "models.PublishMessage"
    is_list: bool
    required: bool
    fields: tuple[FormField, ...]  # multipart only

    @property
    def dict_annotation(self) -> str:
        """The TypedDict a JSON body may be given as instead: `models.X` -> `params.X`."""
        return self.item_model.replace("models.", "params.")

    @property
    def file_field(self) -> str:
        """The name of the first file of a multipart body ("" when it has none)."""
        return next((f.name for f in self.fields if f.is_file), "")


@dataclass(frozen=True)
class Alternative:
    """A further 2xx answer of an operation (EMQX's 202 beside a 200)."""

    status: int
    json_annotation: str | None
    description: str


@dataclass(frozen=True)
class Success:
    status: int
    annotation: str  # the body of the first 2xx: "models.Client", "str", "None"
    json_annotation: str | None  # the type its JSON parses into, None when no JSON
    client_annotation: str  # what the client returns: the union over every 2xx
    client_json_annotation: str | None  # the type any 2xx JSON body parses into
    text: bool  # whether a text/plain body may come back
    binary_media: str | None  # the media type of a file answered (bytes), if any
    text_media: str | None  # the text media type of the first 2xx (text/xml), if not text/plain
    redirect: bool  # a 3xx is declared: the client returns Redirect, a handler may answer one
    accept: str  # the Accept header the client sends: the success media types, in spec order
    description: str
    alternatives: tuple[Alternative, ...]  # further 2xx answers a handler may pick with Answer
    # the 3xx a handler may answer with Redirect beside its 2xx (an operation without a 2xx
    # has its first 3xx as `status`)
    redirects: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class ErrorResponse:
    status: int
    codes: tuple[str, ...]
    description: str
    enterprise: bool  # only the enterprise build answers it (marked, or of an enterprise operation)
    status_class: str = "APIStatusError"  # the client exception every answer of it is
    code_classes: tuple[str, ...] = ()  # the exceptions of its codes that have their own


@dataclass(frozen=True)
class Overload:
    """A typed variant of a method whose answer a query parameter decides
    (`x-emqx-selects-answer`): `aggregate=True` answers one object, else a list."""

    parameter: str  # its python name
    annotation: str  # its type in this variant, with its default: "Literal[True]"
    returns: str  # the answer's type in this variant


@dataclass(frozen=True)
class Pagination:
    style: str  # page, cursor or position (also the name of the query parameter)
    items_field: str
    meta_field: str
    item_annotation: str
    meta_annotation: str = "Any"  # the type of the page's `meta`


@dataclass(frozen=True)
class Operation:
    operation_id: str
    python_name: str  # the stub's handler name (the operationId)
    client_group: str  # the client's sub-resource (`users`), "" for the resource itself
    client_method: str  # the client's method name (`list`), see generator/naming.py
    method: str  # upper case
    path: str
    tag: str
    tag_module: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    # A multipart upload the operation takes instead of its JSON `body` (EMQX's user
    # imports take a JSON array or a CSV/JSON file); None for most operations.
    upload: Body | None
    success: Success
    errors: tuple[ErrorResponse, ...]
    pagination: Pagination | None
    public: bool
    auth_schemes: tuple[
        str, ...
    ]  # accepted HTTP auth schemes: ("basic", "bearer"), ("bearer",), ()
    deprecated: bool
    hidden: bool
    enterprise: bool  # `x-emqx-edition: enterprise`: only EMQX's enterprise build serves it
    overloads: tuple[Overload, ...] = ()  # typed variants, when a parameter decides the answer

    @property
    def edition(self) -> str:
        """The build that serves it: "ee" (enterprise only) or "ce" (both builds)."""
        return "ee" if self.enterprise else "ce"

    @property
    def client_call(self) -> str:
        """What follows `client.<resource>.`: `users.list` or `list`."""
        return (
            f"{self.client_group}.{self.client_method}" if self.client_group else self.client_method
        )

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")


@dataclass(frozen=True)
class SubResource:
    """A collection inside a resource: `users` of `authentication`."""

    name: str  # the attribute on the resource
    class_name: str  # e.g. AuthenticationUsers (Async... for the async one)
    operations: tuple[Operation, ...]


# Builtins the client's annotations use (`list[models.X]`): a method of one of these names
# comes last in its class, since in a class body mypy takes a name defined above for the
# method, not the builtin.
_SHADOWING = frozenset({"list", "dict", "set", "type", "tuple", "bytes", "str", "int"})


def method_order(ops: tuple[Operation, ...]) -> tuple[Operation, ...]:
    """The methods of a class in the order they are written: by name, builtin names last."""
    return tuple(sorted(ops, key=lambda op: (op.client_method in _SHADOWING, op.client_method)))


def pascal_words(snake_name: str) -> str:
    return "".join(w.capitalize() for w in snake_name.split("_"))


@dataclass(frozen=True)
class Tag:
    name: str
    module: str
    class_name: str
    description: str
    operations: tuple[Operation, ...]

    @property
    def routes(self) -> tuple[Operation, ...]:
        """The operations in the order the stub registers them: at each path segment a
        fixed name before a `{parameter}`, so `/plugins/{name}/config` is not taken by
        `/plugins/{name}/{action}`."""

        def key(op: Operation) -> tuple[tuple[int, str], ...]:
            return tuple((1 if part.startswith("{") else 0, part) for part in op.path.split("/"))

        return tuple(sorted(self.operations, key=lambda op: (key(op), op.method)))

    @property
    def methods(self) -> tuple[Operation, ...]:
        """The operations that are methods of the resource itself (no sub-resource)."""
        return method_order(tuple(op for op in self.operations if not op.client_group))

    @property
    def groups(self) -> tuple[SubResource, ...]:
        """The resource's sub-resources (`client.authentication.users`), by name."""
        names = sorted({op.client_group for op in self.operations if op.client_group})
        return tuple(
            SubResource(
                name=name,
                class_name=self.class_name + pascal_words(name),
                operations=method_order(
                    tuple(op for op in self.operations if op.client_group == name)
                ),
            )
            for name in names
        )

    @property
    def enterprise(self) -> bool:
        """Every operation of the tag is enterprise only."""
        return all(op.enterprise for op in self.operations)


@dataclass(frozen=True)
class StatusVariant:
    """A code's class under one of its further statuses: a subclass of both the code's
    class and that status's class (409 ALREADY_EXISTS is an AlreadyExistsError and a
    ConflictError)."""

    status: int
    class_name: str
    status_class: str


@dataclass(frozen=True)
class ErrorCodeView:
    name: str
    description: str
    statuses: tuple[int, ...]
    aliases: tuple[str, ...]
    class_name: str  # the client exception for this code
    base_class: str  # the client exception for its first status
    helper_name: str  # the stub's helper that builds this error
    own_class: bool  # False when the code's class is its status class (NOT_FOUND -> NotFoundError)
    enterprise: bool  # only enterprise operations answer it
    variants: tuple[StatusVariant, ...] = ()  # its classes under its further statuses


@dataclass(frozen=True)
class IntegrationType:
    """One connector, action or source type, from the spec's unions (see integration.py)."""

    name: str  # the `type` on the wire: http, kafka_producer...
    create_model: str  # the model of its create (and probe) body
    update_model: str  # the model of its update body ("": check updates with create_model)
    answer_model: str  # the model the broker answers it with
    enterprise: bool  # a branch marked `x-emqx-edition: enterprise`
    connector_type: str  # for an action or source: the connector type it runs on
    action_type: str = ""  # for a v1 bridge: the action or source type it is stored as


@dataclass(frozen=True)
class IntegrationKind:
    kind: str  # connector, action, source or bridge (version 1)
    types: tuple[IntegrationType, ...]


@dataclass(frozen=True)
class EnterpriseChoices:
    """The discriminator choices of a union that lead a body to an enterprise branch."""

    union: str
    choices: tuple[tuple[tuple[str, str], ...], ...]  # each: the (field, value) path


@dataclass(frozen=True)
class EnterpriseGateway:
    name: str
    listener_types: tuple[str, ...]  # the `type` values of its listeners' union
    defaults: Any  # what the broker fills into its configuration (a JSON object)


@dataclass(frozen=True)
class EnterpriseListener:
    type: str  # a gateway listener type only enterprise gateways use (ws, wss)
    defaults: Any  # its defaults but its TLS options (a JSON object)


@dataclass(frozen=True)
class EditionTables:
    """The enterprise branches outside data integration (see editions.py)."""

    authenticators: tuple[EnterpriseChoices, ...] = ()
    gateways: tuple[EnterpriseGateway, ...] = ()
    listeners: tuple[EnterpriseListener, ...] = ()


@dataclass(frozen=True)
class ApiView:
    title: str
    version: str
    spec_hash: str
    header: str  # the one-line header of every generated file, without comment marker
    base_path: str
    tags: tuple[Tag, ...]
    error_codes: tuple[ErrorCodeView, ...]
    model_names: tuple[str, ...]
    # property names the spec marks secret (`x-emqx-secret: true` or `format: password`)
    secret_fields: tuple[str, ...] = ()
    # the connector, action and source types of the integration unions
    integration: tuple[IntegrationKind, ...] = ()
    # the enterprise authenticators, gateways and gateway listeners
    editions: EditionTables = EditionTables()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for tag in self.tags for op in tag.operations)

    @property
    def enterprise_operations(self) -> tuple[Operation, ...]:
        return tuple(op for op in self.operations if op.enterprise)


@dataclass(frozen=True)
class ChangeGroup:
    title: str  # "Breaking changes", "Added", ...
    items: tuple[str, ...]


@dataclass(frozen=True)
class ReleaseNote:
    version: str
    groups: tuple[ChangeGroup, ...]  # non-empty groups only, breaking changes first


@dataclass(frozen=True)
class PackageView:
    """What the packaging templates need: one version for both distributions, the license
    and the release notes (from spec/release.yaml, see generator/versioning/)."""

    version: str  # PEP 440: info.version, plus ".postN" for package revision N
    spec_version: str  # info.version: the EMQX version the packages speak to
    license: str  # SPDX id from info.license.name ("" when the spec names none)
    released: bool  # spec/release.yaml has an entry for this version
    notes: tuple[ReleaseNote, ...]  # newest first

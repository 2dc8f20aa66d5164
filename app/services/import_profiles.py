"""Use cases: the workspace's mapping profiles — saved from the import wizard, exported and
applied with the policy file, and found again by a file's header."""

from __future__ import annotations

from pathlib import Path

from app.services.workspaces import Workspace
from app.workspace import audit
from app.workspace.import_profiles import (
    delete_profile_document,
    profile_documents,
    save_profile_document,
)
from importers.mapped_csv import (
    MappingProfile,
    matches,
    profile_from_mapping,
    profile_to_mapping,
)


class ProfileRejected(ValueError):
    """The profile cannot be saved or used; ``problems`` says why."""

    def __init__(self, summary: str, problems: list[str]) -> None:
        super().__init__(f"{summary}: {'; '.join(problems)}" if problems else summary)
        self.problems = problems


def profiles(workspace: Workspace) -> list[MappingProfile]:
    """The saved profiles, by name."""
    with workspace.engine.connect() as conn:
        documents = profile_documents(conn)
    return [profile_from_mapping(d)[0] for d in documents]


def profile_named(workspace: Workspace, name: str) -> MappingProfile:
    """The profile ``name``; refused (naming the saved ones) when there is none."""
    found = {p.name: p for p in profiles(workspace)}
    if name in found:
        return found[name]
    known = ", ".join(sorted(found)) or "none yet (the import wizard saves them)"
    raise ProfileRejected(f"no mapping profile named {name!r}", [f"saved profiles: {known}"])


def profile_for(workspace: Workspace, path: Path) -> MappingProfile | None:
    """The first saved profile whose header is ``path``'s, if any."""
    return next((p for p in profiles(workspace) if matches(p, path)), None)


def save_profile(workspace: Workspace, profile: MappingProfile) -> None:
    """Save ``profile`` (replacing one of the same name) after checking it."""
    document = profile_to_mapping(profile)
    _, problems = profile_from_mapping(document)
    if problems:
        raise ProfileRejected(f"the profile {profile.name!r} cannot be saved", problems)
    with workspace.write() as conn:
        save_profile_document(conn, document)
        audit.record(conn, "profile.save", name=profile.name, columns=len(profile.columns))


def delete_profile(workspace: Workspace, name: str) -> None:
    with workspace.write() as conn:
        if delete_profile_document(conn, name):
            audit.record(conn, "profile.delete", name=name)

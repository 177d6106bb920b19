"""The workbench's tables: one shared draft per process, with its files, and a revision for optimistic saves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base


class ProcessDraft(Base):
    """The draft of a process's next version. ``revision`` grows with every save; a save names the revision it
    was based on, so two process owners never silently overwrite each other."""

    __tablename__ = "process_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), unique=True)
    base_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))

    files: Mapped[list[ProcessDraftFile]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="ProcessDraftFile.name"
    )


class ProcessDraftFile(Base):
    """One BPMN, DMN or form file of a draft (one row per file: a save rewrites only the file it changes)."""

    __tablename__ = "process_draft_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("process_draft.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, deferred=True)  # a save loads only the file it changes
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))

    draft: Mapped[ProcessDraft] = relationship(back_populates="files")

    __table_args__ = (UniqueConstraint("draft_id", "name"),)

"""Users, roles and their history: autoincrement keys, unique columns, JSON, native enums."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Theme(enum.Enum):
    light = "l"
    dark = "d"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=func.now()
    )
    last_login: Mapped[datetime | None]


class Profile(Base):
    __tablename__ = "profiles"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    bio: Mapped[str] = mapped_column(Text)
    birthday: Mapped[date | None]
    avatar: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


class Role(Base):
    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int] = mapped_column(sa.SmallInteger, ForeignKey("roles.id"), primary_key=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]


class LoginEvent(Base):
    __tablename__ = "login_events"
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(server_default=sa.text("CURRENT_TIMESTAMP"))
    ip: Mapped[str] = mapped_column(String(45), index=True)


class Preference(Base):
    __tablename__ = "preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    theme: Mapped[Theme] = mapped_column(sa.Enum(Theme), server_default="light")
    settings: Mapped[dict[str, object]] = mapped_column(sa.JSON)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_actor_time", "actor_id", "happened_at"),)
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(50), index=True)
    payload: Mapped[dict[str, object] | None] = mapped_column(
        sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    )
    happened_at: Mapped[datetime] = mapped_column(server_default=func.now())

"""People and teams: every scalar field type, db_default, unique, db_index, a many-to-many."""

from __future__ import annotations

import os
import uuid

from django.db import models
from django.db.models.functions import Now


class Person(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    slug = models.SlugField(max_length=60)
    bio = models.TextField(blank=True)
    age = models.IntegerField(null=True)
    followers = models.BigIntegerField(db_default=0)
    rating = models.FloatField(null=True)
    balance = models.DecimalField(max_digits=10, decimal_places=2, db_default=0)
    is_active = models.BooleanField(db_default=True)
    joined = models.DateTimeField(db_default=Now())
    birthday = models.DateField(null=True)
    wakes_at = models.TimeField(null=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    preferences = models.JSONField(default=dict)
    avatar = models.BinaryField(null=True)
    if os.environ.get("MODELSITE_CHANGED"):
        nickname = models.CharField(max_length=40, null=True)


class Team(models.Model):
    name = models.CharField(max_length=80, unique=True)
    members = models.ManyToManyField(Person, related_name="teams")
    founded = models.DateField(db_index=True)


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    line1 = models.CharField(max_length=200)
    city = models.CharField(max_length=100, db_column="town")
    postcode = models.CharField(max_length=20)

    class Meta:
        db_table = "people_postal_address"
        indexes = [
            models.Index(fields=["city", "postcode"], name="people_addr_city_pc"),
            models.Index(
                fields=["postcode"], name="people_addr_pc_ops", opclasses=["varchar_pattern_ops"]
            ),
        ]


class Profile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True)
    website = models.URLField(blank=True)
    headline = models.CharField(max_length=120, db_default="")


class Follow(models.Model):
    follower = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    followed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(db_default=Now())

    class Meta:
        unique_together = [("follower", "followed")]


class Badge(models.Model):
    code = models.CharField(max_length=20, primary_key=True)
    title = models.CharField(max_length=100)
    points = models.PositiveIntegerField(db_default=10)


class Award(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, to_field="code")
    awarded = models.DateField()


class Note(models.Model):
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True)
    body = models.TextField()
    pinned = models.BooleanField(default=False)


class Device(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, db_constraint=False)
    serial = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField(null=True)


class Invitation(models.Model):
    email = models.EmailField()
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    accepted = models.BooleanField(db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "team"], name="people_invite_once"),
        ]

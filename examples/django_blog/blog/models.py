"""The blog's models: the only declaration of its tables (GOOFER["MODELS"] = ["blog"])."""

from django.db import models
from django.db.models.functions import Now


class Author(models.Model):
    """Someone who writes posts."""

    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)

    class Meta:
        managed = False  # Goofer's migrations create the table, not Django's
        db_table = "blog_author"


class Tag(models.Model):
    """A label on posts."""

    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        managed = False
        db_table = "blog_tag"


class Post(models.Model):
    """A post, with its author and tags."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, db_default="")
    published = models.DateTimeField(db_default=Now())
    tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        managed = False
        db_table = "blog_post"
        indexes = [models.Index(fields=["published"], name="blog_post_published")]

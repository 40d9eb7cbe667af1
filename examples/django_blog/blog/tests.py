"""Run with ``python manage.py test blog``: the test database has Goofer's tables."""

from django.test import TestCase

from .models import Author, Post, Tag


class BlogTests(TestCase):
    """The ORM writes to the tables Goofer's generated migration created."""

    def test_a_post_with_tags(self) -> None:
        """Defaults come from the database (db_default); the many-to-many table is there."""
        author = Author.objects.create(name="Ada", email="ada@example.com")
        post = Post.objects.create(author=author, title="Hello")
        post.tags.add(Tag.objects.create(name="news"))
        post.refresh_from_db()
        self.assertEqual(post.body, "")
        self.assertIsNotNone(post.published)
        self.assertEqual([t.name for t in post.tags.all()], ["news"])

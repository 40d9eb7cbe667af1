from django.db import migrations, models

from goofer_integrations.django.operations import ApplyGooferMigrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [
        # billing_invoice is made by a Goofer migration: apply it first.
        ApplyGooferMigrations(to="20250101000000"),
        migrations.CreateModel(
            name="Refund",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount", models.IntegerField()),
                (
                    "invoice",
                    models.ForeignKey(on_delete=models.CASCADE, to="billing.invoice"),
                ),
            ],
        ),
    ]

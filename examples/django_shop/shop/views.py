"""Views of the shop: read the Goofer-managed tables through the ORM."""

from django.db.models import Sum
from django.http import HttpRequest, JsonResponse

from .models import Product


def product_list(request: HttpRequest) -> JsonResponse:
    """Return every product with how many have been ordered."""
    products = Product.objects.order_by("id").annotate(ordered=Sum("order__quantity"))
    return JsonResponse(
        {
            "products": [
                {
                    "id": p.id,
                    "name": p.name,
                    "price_cents": p.price_cents,
                    "ordered": p.ordered or 0,
                }
                for p in products
            ]
        }
    )

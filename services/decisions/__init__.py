"""decisions: bijstand benefit cases (uitkeringen), income offsetting and settlements."""

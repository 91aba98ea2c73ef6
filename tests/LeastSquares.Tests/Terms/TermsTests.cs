using LeastSquares.Numerics;

namespace LeastSquares.Tests.Terms;

/// <summary>A model is a response, an intercept flag and terms; each term reads columns and names its features.</summary>
public sealed class TermsTests
{
    [Fact]
    public void A_degree_is_one_power_term_named_as_before()
    {
        var terms = new ModelTerms(["x"], "y", 3);
        var power = Assert.IsType<PowerTerm>(Assert.Single(terms.TermList));
        Assert.Equal(3, power.Degree);
        Assert.Equal(["(intercept)", "x", "x^2", "x^3"], terms.TermNames);
        Assert.Equal(["x"], terms.Predictors);
        Assert.Equal(2, terms.RowWidth);
        Assert.False(terms.AllPlainColumns);
        Assert.True(terms.UsesCentre);
        Assert.True(terms.SameModelAs(new ModelTerms("y", true, [new PowerTerm("x", 3)])));
        Assert.False(terms.SameModelAs(new ModelTerms("y", true, [new PowerTerm("x", 2)])));
    }

    [Fact]
    public void The_intercept_alone_is_a_model_whose_one_coefficient_is_the_mean()
    {
        var terms = new ModelTerms("y", true, []);
        Assert.Equal(["(intercept)"], terms.TermNames);
        Assert.Equal(0, terms.FeatureCount);
        Assert.Equal(1, terms.RowWidth);
        var accumulator = MomentAccumulator.Create(terms);
        foreach (var y in new[] { 1.0, 2, 6 })
        {
            accumulator.Add([y]);
        }

        var fit = Solver.Fit(accumulator, new SolverOptions());
        Assert.Equal(3, fit.Coefficients[0], 15);
        Assert.Equal(14, fit.SumOfSquaredErrors, 13);
        Assert.Equal(1, fit.ConditionNumber);
        Assert.Throws<ArgumentException>(() => new ModelTerms("y", false, [])); // R's empty model: nothing to fit
    }

    [Fact]
    public void Plain_columns_take_the_fast_path()
    {
        var terms = new ModelTerms(["a", "b"], "y", intercept: false);
        Assert.All(terms.TermList, t => Assert.IsType<ColumnTerm>(t));
        Assert.True(terms.AllPlainColumns);
        Assert.False(terms.UsesCentre);
        Assert.Null(terms.Recentre(new DoubleDouble(5)));
        Assert.Equal(["a", "b"], terms.TermNames);
    }

    [Fact]
    public void Terms_reading_the_same_column_share_its_place_in_the_row()
    {
        var terms = new ModelTerms("y", true, [new ColumnTerm("a"), new PowerTerm("b", 2), new ColumnTerm("c")]);
        Assert.Equal(["a", "b", "c"], terms.Predictors);
        Assert.Equal(["(intercept)", "a", "b", "b^2", "c"], terms.TermNames);
        Assert.False(terms.AllPlainColumns);
        Assert.Equal(1, terms.CentreColumn);

        // Around centre 2: a as it is, (b − 2) and (b − 2)², c as it is.
        var features = new double[4];
        terms.WorkingFeatures([10.0, 5.0, -1.0, 99.0], 2, features);
        Assert.Equal([10.0, 3.0, 9.0, -1.0], features);
        Assert.IsType<PowerTerm>(terms.TermOf(2));
        Assert.IsType<ColumnTerm>(terms.TermOf(3));
    }

    [Fact]
    public void Recentring_maps_the_centred_powers_to_those_around_another_centre()
    {
        // (t + d)ʲ from tʲ, t = x − c: with x = 7, c = 3, d = 3 the result is the raw powers of 7.
        var (l, s) = new PowerTerm("x", 3).Recentre(new DoubleDouble(3))!.Value;
        double[] t = [4, 16, 64];
        for (int j = 0; j < 3; j++)
        {
            var v = s[j];
            for (int i = 0; i <= j; i++)
            {
                v += l[j, i] * t[i];
            }

            Assert.Equal(Math.Pow(7, j + 1), v.ToDouble());
        }
    }

    [Fact]
    public void A_prediction_sums_every_term_in_the_users_basis()
    {
        var terms = new ModelTerms("y", true, [new ColumnTerm("a"), new PowerTerm("b", 2)]);
        var model = new LinearModel(terms, [1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(1 + (2 * 5) + (3 * 2) + (4 * 4), model.Predict([5.0, 2.0]));
    }
}
